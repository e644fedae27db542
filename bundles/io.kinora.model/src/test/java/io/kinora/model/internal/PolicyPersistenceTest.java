package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kinora.api.model.ModelEvent;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.video.ModelInfo;
import io.kinora.model.itest.FakeModel;

/** Operator routing changes are handed to the store and their own configuration echo changes nothing. */
class PolicyPersistenceTest {

    final List<String> events = new ArrayList<>();
    final List<RoutingPolicy> stored = new ArrayList<>();
    final Registry registry = new Registry((topic, e, extra) -> events.add(topic + " " + extra.get("policy")),
            new Registry.Budget(5, 2));
    long nextBundle = 10;

    Entry ready(String version) {
        Entry e = registry.track(nextBundle++, "test:" + version, "parallax", version);
        registry.transition(e, ModelState.VERIFYING, null);
        registry.describe(e, new Descriptor("parallax", version, "image-to-video", "d", null, List.of()));
        registry.transition(e, ModelState.INSTALLED, "verified");
        assertTrue(registry.serviceArrived(e, new FakeModel(new ModelInfo("parallax", version, "image-to-video", ""), "good", 0)));
        assertTrue(registry.transition(e, ModelState.READY, "ok"));
        return e;
    }

    String route(String job) {
        try (ModelLease l = registry.acquire("image-to-video", job, null, Duration.ofMillis(200))) {
            return l.info().version();
        }
    }

    @Test
    void everyOperatorChangeIsStoredAndItsEchoIsIdempotent() {
        registry.store((p, why) -> stored.add(p));
        ready("1.0.0");
        ready("1.1.0");
        RoutingPolicy pinned = registry.activate("parallax", "1.0.0");
        RoutingPolicy canary = registry.canary("image-to-video", "1.1.0", 100);
        RoutingPolicy pin = registry.pinTenant("image-to-video", "acme", "1.0.0");
        assertEquals(List.of(pinned, canary, pin), stored);
        assertEquals("image-to-video", pinned.family(), "stored under the family, not the model id");

        // the first write comes back while two later ones are on their way: what is in force does not move back
        int before = events.size();
        registry.configure("image-to-video", pinned);
        assertEquals(pin, registry.policy("image-to-video"));
        assertEquals("1.1.0", route("job-1"), "still the 100 % canary");
        registry.configure("image-to-video", canary);
        assertEquals(pin, registry.policy("image-to-video"));
        registry.configure("image-to-video", pin);
        assertEquals(pin, registry.policy("image-to-video"));
        assertEquals(before, events.size(), "own echoes post no POLICY_CHANGED: " + events);

        // an edit by someone else (console, .cfg file) wins as before
        RoutingPolicy console = RoutingPolicy.latest("image-to-video");
        registry.configure("image-to-video", console);
        assertEquals(console, registry.policy("image-to-video"));
        assertEquals(ModelEvent.POLICY_CHANGED + " every new job to the latest ready version", events.get(events.size() - 1));
    }

    @Test
    void rollbackStoresThePolicyThatNoLongerNamesTheFailedVersion() {
        registry.store(new Registry.Store() {
            @Override
            public boolean store(RoutingPolicy p, String why) { return stored.add(p); }

            @Override
            public String target(String family) { return "io.kinora.model.routing~" + family; }
        });
        ready("1.0.0");
        Entry v2 = ready("1.1.0");
        registry.canary("image-to-video", "1.1.0", 30);
        RoutingPolicy back = registry.rollback("image-to-video", "bad colours");
        assertEquals(ModelState.FAILED, v2.state);
        assertEquals(back, stored.get(stored.size() - 1));
        assertEquals(RoutingPolicy.Mode.PINNED, back.mode());
        assertEquals("parallax:1.0.0", back.version());
        assertEquals("rolled back by an operator: bad colours; routing configuration "
                + "io.kinora.model.routing~image-to-video set to every new job to parallax:1.0.0", v2.reason);
        registry.configure("image-to-video", back);
        try (ModelLease l = registry.acquire("image-to-video", "after-rollback", null, Duration.ofMillis(200))) {
            assertEquals("1.0.0", l.info().version());
            assertEquals("pinned to parallax:1.0.0 [after rollback of parallax:1.1.0; routing configuration "
                    + "io.kinora.model.routing~image-to-video set to every new job to parallax:1.0.0]", l.route());
        }
        // the next operator decision ends the note
        registry.followLatest("image-to-video");
        try (ModelLease l = registry.acquire("image-to-video", "later", null, Duration.ofMillis(200))) {
            assertEquals("latest ready parallax:1.0.0", l.route());
        }
    }

    @Test
    void withoutAStoreChangesStayInMemory() {
        ready("1.0.0");
        ready("1.1.0");
        registry.activate("parallax", "1.0.0");
        assertEquals("1.0.0", route("in-memory"));
        assertTrue(stored.isEmpty());
        // a store that refuses (its queue is closed) leaves nothing pending: the next configuration wins
        registry.store((p, why) -> false);
        registry.activate("parallax", "1.1.0");
        RoutingPolicy cfg = RoutingPolicy.latest("image-to-video");
        registry.configure("image-to-video", cfg);
        assertEquals(cfg, registry.policy("parallax"));
    }

    @Test
    void configurationPropertiesRoundTripExactly() {
        for (RoutingPolicy p : List.of(RoutingPolicy.latest("image-to-video"),
                new RoutingPolicy("image-to-video", RoutingPolicy.Mode.PINNED, "parallax:1.0.0", null, 0,
                        Map.of("acme", "parallax:1.1.0", "zeta", "parallax:1.0.0"), false),
                new RoutingPolicy("image-to-video", RoutingPolicy.Mode.CANARY, null, "parallax:1.1.0", 30, Map.of(), true),
                new RoutingPolicy("x(y)", RoutingPolicy.Mode.CANARY, "parallax:1.0.0", "parallax:1.1.0", 100, Map.of(), true))) {
            Map<String, Object> props = ConfigAdminPolicyWriter.properties(p);
            assertEquals(p, RoutingPolicyComponent.toPolicy(config(props)), props.toString());
        }
        assertEquals("x_y_", ConfigAdminPolicyWriter.configName("x(y)"));
        assertEquals("x\\(y\\)\\*", ConfigAdminPolicyWriter.escape("x(y)*"));
        assertFalse(ConfigAdminPolicyWriter.configName("image-to-video").contains("~"));
    }

    /** RoutingConfig as DS builds it from configuration properties ('_' in a method name is '.' in a key). */
    static RoutingConfig config(Map<String, Object> props) {
        return (RoutingConfig) Proxy.newProxyInstance(RoutingConfig.class.getClassLoader(),
                new Class<?>[] {RoutingConfig.class}, (proxy, m, args) -> {
                    Object v = props.get(m.getName().replace('_', '.'));
                    return v != null ? v : m.getDefaultValue();
                });
    }
}
