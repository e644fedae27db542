package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.kinora.api.model.RoutingPolicy;

class RouterTest {

    record V(String id, String version) implements Router.Candidate {
    }

    static final V V1 = new V("parallax", "1.0.0");
    static final V V2 = new V("parallax", "1.1.0");
    static final V V10 = new V("parallax", "1.10.0");

    static RoutingPolicy canary(int percent) {
        return new RoutingPolicy("image-to-video", RoutingPolicy.Mode.CANARY, "1.0.0", "parallax:1.1.0", percent,
                Map.of(), true);
    }

    @Test
    void canaryThirtyPercentOverHundredSubmissionsIsThirtyPlusMinusTen() {
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            int toCandidate = 0;
            for (int i = 0; i < 100; i++) {
                String jobId = run == 0 ? "job-" + i : new UUID(random.nextLong(), random.nextLong()).toString();
                if (Router.route(canary(30), List.of(V1, V2), jobId, null).target() == V2) toCandidate++;
            }
            assertTrue(toCandidate >= 20 && toCandidate <= 40, "run " + run + ": " + toCandidate + " of 100 to the candidate");
        }
    }

    @Test
    void canaryIsDeterministicPerJobIdAndMonotonicInThePercentage() {
        for (int i = 0; i < 200; i++) {
            String job = "job-" + i;
            V first = Router.route(canary(30), List.of(V1, V2), job, null).target();
            assertEquals(first, Router.route(canary(30), List.of(V2, V1), job, null).target(), job);
            // a job that goes to the candidate at 30 % also goes there at 60 % (raising the share only adds jobs)
            if (first == V2) assertEquals(V2, Router.route(canary(60), List.of(V1, V2), job, null).target());
        }
        assertEquals(V1, Router.route(canary(0), List.of(V1, V2), "any", null).target());
        assertEquals(V2, Router.route(canary(100), List.of(V1, V2), "any", null).target());
    }

    @Test
    void bucketsAreSpreadEvenly() {
        int[] counts = new int[10];
        for (int i = 0; i < 10_000; i++) counts[Router.bucket("j" + i) / 10]++;
        for (int c : counts) assertTrue(c > 850 && c < 1150, "decile count " + c);
    }

    @Test
    void latestComparesVersionsNumerically() {
        RoutingPolicy latest = RoutingPolicy.latest("image-to-video");
        assertEquals(V10, Router.route(latest, List.of(V1, V10, V2), "j", null).target());
        assertNull(Router.route(latest, List.of(), "j", null));
    }

    @Test
    void pinnedVersionThatIsNotReadyFallsBackToLatestAndSaysSo() {
        RoutingPolicy pinned = new RoutingPolicy("f", RoutingPolicy.Mode.PINNED, "1.0.0", null, 0, Map.of(), true);
        assertEquals(V1, Router.route(pinned, List.of(V1, V2), "j", null).target());
        Router.Choice<V> c = Router.route(pinned, List.of(V2), "j", null);
        assertEquals(V2, c.target());
        assertTrue(c.reason().contains("pinned 1.0.0 is not ready"), c.reason());
    }

    @Test
    void tenantPinWinsAndMavenAndOsgiSpellingsMatch() {
        RoutingPolicy p = new RoutingPolicy("f", RoutingPolicy.Mode.LATEST, null, null, 0,
                Map.of("acme", "parallax:1.0.0"), true);
        assertEquals(V1, Router.route(p, List.of(V1, V2), "j", "acme").target());
        assertEquals(V2, Router.route(p, List.of(V1, V2), "j", "other").target());
        V snap = new V("parallax", "0.1.0.SNAPSHOT");
        assertEquals(snap, Router.find(List.of(snap), "0.1.0-SNAPSHOT"));
        assertNull(Router.find(List.of(V1), "other:1.0.0"));
    }

    @Test
    void canaryWithCandidateNotReadyGoesToStable() {
        Router.Choice<V> c = Router.route(canary(100), List.of(V1), "j", null);
        assertEquals(V1, c.target());
        assertTrue(c.reason().contains("not ready"), c.reason());
    }
}
