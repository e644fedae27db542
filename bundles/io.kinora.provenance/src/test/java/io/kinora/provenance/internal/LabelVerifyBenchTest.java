package io.kinora.provenance.internal;

import io.kinora.api.provenance.LayerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * verify's time on a 10 s 1280x720 24 fps clip (compositor defaults), before and after the label detectors, in one
 * run: the same service verifies with label detection switched off (what verify did before: watermark only) and on,
 * alternating, after a warm-up, on a labelled clip (cn: label, cue, watermarks) and an unlabelled one (none, watermarks).
 * Opt-in: {@code mvn -B -o -pl bundles/io.kinora.provenance -am test -Dtest=LabelVerifyBenchTest -Dkinora.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class LabelVerifyBenchTest {
    @TempDir
    static Path tmp;

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Test
    void verifyTimeOnATenSecondClip() throws Exception {
        LabelVerifyTest.dir = tmp;
        LabelVerifyTest.setUp();
        ProvenanceServiceImpl s = LabelVerifyTest.service(Map.of());
        Path labelled = LabelVerifyTest.clip(s, LabelVerifyTest.request("bench-cn", "cn", "zh", 10), "bench-cn", null);
        Path plain = LabelVerifyTest.clip(s, LabelVerifyTest.request("bench-none", "none", "en", 10), "bench-none", null);
        for (Path f : List.of(labelled, plain)) {
            s.detectLabels = false;
            s.verify(f);
            s.detectLabels = true;
            s.verify(f);
        }
        StringBuilder out = new StringBuilder();
        for (Path f : List.of(labelled, plain)) {
            List<double[]> before = new ArrayList<>();
            List<double[]> after = new ArrayList<>();
            List<LayerStatus> last = null;
            for (int round = 0; round < 3; round++) {
                for (boolean on : new boolean[] {false, true}) {
                    s.detectLabels = on;
                    long c0 = OS.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    List<LayerStatus> v = s.verify(f);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    double cpu = (OS.getProcessCpuTime() - c0) / 1e6;
                    (on ? after : before).add(new double[] {ms, cpu});
                    if (on) last = v;
                }
            }
            String line = String.format(Locale.ROOT, "%s: verify before (watermark only) %s ms wall / %s ms CPU; after (+ visible label, rhythm cue) %s ms wall"
                    + " / %s ms CPU; load average %.1f", f.getFileName(), fmt(before, 0), fmt(before, 1), fmt(after, 0), fmt(after, 1), OS.getSystemLoadAverage());
            System.out.println(line);
            for (LayerStatus l : last) System.out.println("  " + l.layer() + " " + l.state() + " " + l.facts().get("detectMs") + " ms");
            out.append(line).append('\n');
            assertEquals(f == labelled ? LayerStatus.State.PRESENT : LayerStatus.State.ABSENT, LabelVerifyTest.layer(last, "visible-label").state());
        }
        System.out.print(out);
    }

    static String fmt(List<double[]> v, int k) {
        StringBuilder sb = new StringBuilder();
        for (double[] d : v) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", d[k]));
        return sb.toString();
    }
}
