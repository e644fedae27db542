package io.kinora.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    private final Map<String, String> fw = new HashMap<>();
    private final Map<String, String> sys = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private Path data = Path.of("/data/bundle7");

    private EngineSettings.Decision decide() {
        return EngineSettings.decide(fw::get, sys::get, env::get, () -> data, 6);
    }

    @Test
    void defaultsAreOfflineWithCacheInDataAreaAndOneThreadPerProcessor() {
        EngineSettings.Decision d = decide();
        assertFalse(d.refused());
        assertEquals("true", d.systemProperties().get("ai.djl.offline"));
        assertEquals("true", d.systemProperties().get("OPT_OUT_TRACKING"));
        assertEquals(Path.of("/data/bundle7/djl").toString(), d.systemProperties().get("DJL_CACHE_DIR"));
        assertEquals("6", d.systemProperties().get("ai.djl.pytorch.num_threads"));
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
    }

    @Test
    void workFolderFromFrameworkPropertyThenSystemProperty() {
        sys.put("kinora.work", "/sys/work");
        assertEquals(Path.of("/sys/work/djl").toString(), decide().systemProperties().get("DJL_CACHE_DIR"));
        fw.put("kinora.work", "/fw/work");
        assertEquals(Path.of("/fw/work/djl").toString(), decide().systemProperties().get("DJL_CACHE_DIR"));
    }

    @Test
    void existingCacheDirIsKept() {
        fw.put("kinora.work", "/fw/work");
        sys.put("DJL_CACHE_DIR", "/operator/cache");
        assertNull(decide().systemProperties().get("DJL_CACHE_DIR"));
        sys.clear();
        env.put("DJL_CACHE_DIR", "/env/cache");
        assertNull(decide().systemProperties().get("DJL_CACHE_DIR"));
    }

    @Test
    void noDataAreaAndNoWorkFolderWarns() {
        data = null;
        EngineSettings.Decision d = decide();
        assertNull(d.systemProperties().get("DJL_CACHE_DIR"));
        assertEquals(1, d.warnings().size());
    }

    @Test
    void operatorsOfflineFalseIsOverriddenUnlessNetworkAllowed() {
        sys.put("ai.djl.offline", "false");
        sys.put("OPT_OUT_TRACKING", "false");
        EngineSettings.Decision d = decide();
        assertEquals("true", d.systemProperties().get("ai.djl.offline"));
        assertEquals("true", d.systemProperties().get("OPT_OUT_TRACKING"));
        assertEquals(2, d.warnings().size());

        fw.put("kinora.engine.allowNetwork", "true");
        d = decide();
        assertNull(d.systemProperties().get("ai.djl.offline"), "explicit operator value is kept");
        assertNull(d.systemProperties().get("OPT_OUT_TRACKING"));
        sys.clear();
        d = decide();
        assertEquals("true", d.systemProperties().get("ai.djl.offline"), "still offline by default");
    }

    @Test
    void environmentDjlOfflineFalseRefusesUnlessNetworkAllowed() {
        env.put("DJL_OFFLINE", "false");
        EngineSettings.Decision d = decide();
        assertTrue(d.refused());
        assertTrue(d.refusal().contains("DJL_OFFLINE=false"), d.refusal());
        fw.put("kinora.engine.allowNetwork", "true");
        assertFalse(decide().refused());
        env.put("DJL_OFFLINE", "true");
        fw.clear();
        assertFalse(decide().refused());
    }

    @Test
    void threads() {
        fw.put("kinora.engine.threads", "3");
        assertEquals("3", decide().systemProperties().get("ai.djl.pytorch.num_threads"));
        fw.put("kinora.engine.threads", "zero");
        EngineSettings.Decision d = decide();
        assertEquals("6", d.systemProperties().get("ai.djl.pytorch.num_threads"));
        assertEquals(1, d.warnings().size());
        fw.clear();
        sys.put("ai.djl.pytorch.num_threads", "1");
        assertEquals("1", decide().systemProperties().get("ai.djl.pytorch.num_threads"), "operator's -D is kept");
    }

    @Test
    void explainNamesRootCauseAndKnownHint() {
        Throwable t = new RuntimeException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("Native Library /x/libc10.so already loaded in another classloader"));
        String s = EngineActivator.explain(t);
        assertTrue(s.contains("libc10.so already loaded"), s);
        assertTrue(s.contains("restart the JVM"), s);
    }
}
