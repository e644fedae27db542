package io.kinora.model.internal;

import java.util.Map;

/** Where registry events go; the Event Admin implementation is optional (its package import is optional). */
interface EventSink {
    void post(String topic, Map<String, Object> properties);
}
