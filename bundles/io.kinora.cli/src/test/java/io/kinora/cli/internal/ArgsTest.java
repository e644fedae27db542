package io.kinora.cli.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    @Test
    void parsesValuesFlagsAndPositionals() throws Exception {
        Args a = Args.parse(List.of("--scene", "s.json", "--out=o.mp4", "--quiet", "extra"), Set.of("scene", "out"), Set.of("quiet"));
        assertEquals("s.json", a.get("scene"));
        assertEquals("o.mp4", a.get("out"));
        assertTrue(a.flag("quiet"));
        assertEquals(List.of("extra"), a.positional);
    }

    @Test
    void namesTheOffendingOption() {
        assertEquals("unknown option --sceen", assertThrows(Args.UsageException.class,
                () -> Args.parse(List.of("--sceen", "x"), Set.of("scene"), Set.of())).getMessage());
        assertEquals("--scene needs a value", assertThrows(Args.UsageException.class,
                () -> Args.parse(List.of("--scene"), Set.of("scene"), Set.of())).getMessage());
        assertEquals("--scene is given twice", assertThrows(Args.UsageException.class,
                () -> Args.parse(List.of("--scene", "a", "--scene", "b"), Set.of("scene"), Set.of())).getMessage());
        assertEquals("--out is required", assertThrows(Args.UsageException.class,
                () -> Args.parse(List.of(), Set.of("out"), Set.of()).require("out")).getMessage());
    }

    @Test
    void benchTableHasOneRowPerRun() {
        var row = new java.util.LinkedHashMap<String, Object>();
        row.put("sample", "two-speakers");
        row.put("width", 1280);
        row.put("height", 720);
        row.put("renditions", 1);
        row.put("frames", 120);
        row.put("clipSeconds", 5.0);
        row.put("seconds", java.util.Map.of("video", 2.5, "total", 6.0));
        row.put("videoFramesPerSecond", 48.0);
        row.put("realTimeFactor", 1.2);
        row.put("peakRssMiB", 900.0);
        String table = Bench.toTable(List.of(row), "1800");
        assertTrue(table.contains("| two-speakers | 1280x720 | 120 | 5.00 |"), table);
        assertTrue(table.contains(" 48.0 | 1.20 | 900 |"), table);
        assertTrue(Bench.toJson(List.of(row), "1800").contains("\"realTimeFactor\": 1.2000"));
    }
}
