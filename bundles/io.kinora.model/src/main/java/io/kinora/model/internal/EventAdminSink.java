package io.kinora.model.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts registry events to Event Admin (asynchronously). This class is the only user of
 * {@code org.osgi.service.event}, imported with {@code resolution:=optional}: without Event Admin this component
 * does not start and the registry only logs.
 */
@Component(service = EventSink.class)
public class EventAdminSink implements EventSink {

    private final EventAdmin eventAdmin;

    @Activate
    public EventAdminSink(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        eventAdmin.postEvent(new Event(topic, properties));
    }
}
