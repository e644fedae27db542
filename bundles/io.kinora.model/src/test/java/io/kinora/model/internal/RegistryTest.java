package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.kinora.api.model.ModelEvent;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.video.ModelInfo;
import io.kinora.model.itest.FakeModel;

class RegistryTest {

    final List<String> events = new ArrayList<>();
    final Registry registry = new Registry((topic, e, extra) -> events.add(topic + " " + (e == null ? extra.get(ModelEvent.FAMILY) : e.key() + " " + e.state)),
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

    ModelLease acquire(String job) {
        return registry.acquire("image-to-video", job, null, Duration.ofMillis(200));
    }

    @Test
    void stateMachineRefusesIllegalTransitions() {
        Entry e = ready("1.0.0");
        assertFalse(registry.transition(e, ModelState.VERIFYING, "nope"));
        assertFalse(registry.transition(e, ModelState.WARMING, "nope"));
        assertEquals(ModelState.READY, e.state);
        assertTrue(e.installToReadyMillis >= 0);
        assertTrue(registry.transition(e, ModelState.DRAINING, "x"));
        assertFalse(registry.transition(e, ModelState.READY, "cannot come back from draining"));
        assertTrue(registry.transition(e, ModelState.RETIRED, "x"));
        assertFalse(registry.transition(e, ModelState.READY, "retired is not ready"));
        assertTrue(events.contains("io/kinora/model/READY parallax:1.0.0 READY"), events.toString());
    }

    @Test
    void leasePinsVersionWhileNewJobsGoToTheNewVersionAndDrainingRetiresAfterTheLastJob() {
        Entry v1 = ready("1.0.0");
        ModelLease running = acquire("job-1");
        assertEquals("1.0.0", running.info().version());
        Entry v2 = ready("1.1.0");
        ModelLease next = acquire("job-2");
        assertEquals("1.1.0", next.info().version(), "new jobs go to the latest ready version at once");
        // v1's bundle goes away while job-1 still runs on it
        registry.serviceGone(v1, "bundle stopping");
        assertEquals(ModelState.DRAINING, v1.state);
        assertNotNull(running.model(), "the running job keeps its model object");
        assertEquals(1, registry.awaitDrained(v1, Duration.ofMillis(50)), "one job still holds v1");
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> registry.awaitDrained(v1, Duration.ofSeconds(10)));
        running.close();
        running.close(); // idempotent
        assertEquals(0, waiter.join());
        assertEquals(ModelState.RETIRED, v1.state);
        assertEquals(1, v1.completed);
        next.close();
        assertEquals(0, v2.leases);
    }

    @Test
    void policyChangeAppliesToTheNextJob() {
        ready("1.0.0");
        ready("1.1.0");
        assertEquals("1.1.0", acquire("a").info().version());
        registry.activate("image-to-video", "1.0.0");
        assertEquals("1.0.0", acquire("b").info().version());
        registry.configure("image-to-video", new RoutingPolicy("image-to-video", RoutingPolicy.Mode.PINNED,
                "parallax:1.1.0", null, 0, Map.of(), true));
        assertEquals("1.1.0", acquire("c").info().version());
        // a model id selects its family's policy and only its own versions
        assertEquals(RoutingPolicy.Mode.PINNED, registry.policy("parallax").mode());
        assertEquals("1.1.0", registry.acquire("parallax", "d", null, Duration.ZERO).info().version());
    }

    @Test
    void errorBudgetRollsBackToThePreviousStableVersion() {
        Entry v1 = ready("1.0.0");
        Entry v2 = ready("1.1.0");
        for (int i = 0; i < 2; i++) {
            ModelLease l = acquire("fail-" + i);
            assertEquals("1.1.0", l.info().version());
            l.failed("boom " + i);
            l.close();
        }
        assertEquals(ModelState.FAILED, v2.state);
        assertTrue(v2.reason.startsWith("automatic rollback: 2 of its first 2 job(s) failed"), v2.reason);
        assertEquals("1.0.0", acquire("after").info().version());
        // "latest" would choose 1.1.0 again after a restart: the rollback pins 1.0.0 instead (persisted when Config Admin is there)
        assertEquals(RoutingPolicy.Mode.PINNED, registry.policy("image-to-video").mode());
        assertEquals("parallax:1.0.0", registry.policy("image-to-video").version());
        assertTrue(v2.reason.endsWith("routing of image-to-video now every new job to parallax:1.0.0 (in memory only)"), v2.reason);
        assertTrue(events.stream().anyMatch(s -> s.startsWith(ModelEvent.ROLLED_BACK + " parallax:1.1.0")), events.toString());
        // the operator can bring it back in one step
        registry.activate("image-to-video", "1.1.0");
        assertEquals(ModelState.READY, v2.state);
        assertEquals("1.1.0", acquire("again").info().version());
        assertEquals(ModelState.READY, v1.state);
    }

    @Test
    void onlyVersionIsNotRolledBackAutomatically() {
        Entry v1 = ready("1.0.0");
        for (int i = 0; i < 3; i++) {
            ModelLease l = acquire("f" + i);
            l.failed("boom");
            l.close();
        }
        assertEquals(ModelState.READY, v1.state, "nothing to fall back to: it keeps serving");
    }

    @Test
    void operatorRollbackEndsACanary() {
        ready("1.0.0");
        Entry v2 = ready("1.1.0");
        registry.activate("image-to-video", "1.0.0");
        RoutingPolicy p = registry.canary("image-to-video", "1.1.0", 100);
        assertEquals(RoutingPolicy.Mode.CANARY, p.mode());
        assertEquals("parallax:1.0.0", p.version());
        assertEquals("1.1.0", acquire("x").info().version());
        RoutingPolicy back = registry.rollback("image-to-video", "bad colours");
        assertEquals(RoutingPolicy.Mode.PINNED, back.mode());
        assertEquals(ModelState.FAILED, v2.state);
        assertEquals("rolled back by an operator: bad colours; routing of image-to-video now every new job to parallax:1.0.0 (in memory only)", v2.reason);
        assertEquals("1.0.0", acquire("y").info().version());
    }

    @Test
    void acquireWaitsForAVersionAndNamesWhatIsInstalledWhenNoneIsReady() throws Exception {
        Entry broken = registry.track(1, "test:broken", "parallax", "2.0.0");
        registry.refuse(broken, "weight file META-INF/kinora/w.bin: SHA-256 is aa but the descriptor expects bb");
        ModelException e = assertThrows(ModelException.class,
                () -> registry.acquire("parallax", "j", null, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("parallax:2.0.0 FAILED (weight file"), e.getMessage());
        CompletableFuture<ModelLease> waiting = CompletableFuture.supplyAsync(
                () -> registry.acquire("image-to-video", "j", null, Duration.ofSeconds(10)));
        Thread.sleep(50);
        assertFalse(waiting.isDone());
        ready("1.0.0");
        assertEquals("1.0.0", waiting.get(5, TimeUnit.SECONDS).info().version());
    }

    @Test
    void clashOfIdAndVersionIsReported() {
        ready("1.0.0");
        Entry dup = registry.track(99, "test:dup", "parallax", "1.0.0");
        String clash = registry.clash(dup);
        assertNotNull(clash);
        assertTrue(clash.contains("parallax:1.0.0 is already installed by bundle"), clash);
    }
}
