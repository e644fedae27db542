package io.kinora.provenance.internal.bmff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.kinora.provenance.internal.bmff.Mp4Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

class Mp4InspectorTest {
    @TempDir
    Path dir;

    private static final List<Map.Entry<String, String>> TAGS = List.of(
            Map.entry("AIGC", "{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"Kinora\",\"ProduceID\":\"c-1\"}}"),
            Map.entry("comment", "AI-generated vidéo 生成"),
            Map.entry("encoder", "Lavf61.7.100"));

    private Path write(String name, byte[]... parts) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, concat(parts));
        return p;
    }

    private static BmffFormatException corrupt(Path p) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(BmffFormatException.class, () -> Mp4Inspector.inspect(p)));
    }

    @Test
    void readsFfmpegStyleMdtaMetadataInUdta() throws Exception {
        byte[] ftyp = ftyp();
        byte[] moov = moovWithUdta(mdtaMeta(true, TAGS));
        Path p = write("a.mp4", ftyp, moov, mdat(1000));
        Mp4Inspection in = Mp4Inspector.inspect(p);
        assertEquals("isom", in.majorBrand());
        assertTrue(in.hasMoov());
        assertEquals(List.of("ftyp", "moov", "mdat"), in.topLevel().stream().map(Box::type).toList());
        assertEquals(ftyp.length, in.topLevel().get(1).offset());
        assertEquals(moov.length, in.topLevel().get(1).size());
        assertEquals(1008, in.topLevel().get(2).size());
        assertEquals(3, in.metadata().size());
        for (int i = 0; i < TAGS.size(); i++) {
            assertEquals(TAGS.get(i).getKey(), in.metadata().get(i).key());
            assertEquals(TAGS.get(i).getValue(), in.metadata().get(i).value());
            assertEquals("moov/udta/meta", in.metadata().get(i).location());
        }
        assertTrue(in.c2pa().isEmpty());
    }

    @Test
    void readsQuickTimeStyleMetaWithoutVersionFlags() throws Exception {
        Path p = write("qt.mov", ftyp(), box("moov", box("mvhd", new byte[100]), mdtaMeta(false, TAGS)), mdat(10));
        Mp4Inspection in = Mp4Inspector.inspect(p);
        assertEquals(List.of("AIGC", "comment", "encoder"), in.metadata().stream().map(MetadataEntry::key).toList());
        assertEquals("moov/meta", in.metadata().get(0).location());
        assertEquals(1, in.entries("AIGC").size());
    }

    @Test
    void readsItunesItemsByFourcc() throws Exception {
        Path p = write("m.m4a", ftyp(), moovWithUdta(mdirMeta(List.of(Map.entry("©cmt", "hello"), Map.entry("©too", "Lavf")))));
        Mp4Inspection in = Mp4Inspector.inspect(p);
        assertEquals("hello", in.entries("©cmt").get(0).value());
        assertEquals("Lavf", in.entries("©too").get(0).value());
    }

    @Test
    void handles64BitLargesizeBoxesAndMoovAtTheEnd() throws Exception {
        byte[] ftyp = ftyp();
        byte[] mdat = largeBox("mdat", new byte[5000]);
        byte[] moov = largeBox("moov", fullBox("mvhd", 0, 0, new byte[96]), box("udta", mdtaMeta(true, TAGS)));
        Path p = write("large.mp4", ftyp, mdat, moov);
        Mp4Inspection in = Mp4Inspector.inspect(p);
        Box m = in.topLevel().get(1);
        assertEquals("mdat", m.type());
        assertEquals(16, m.headerSize());
        assertEquals(5016, m.size());
        assertEquals(ftyp.length + 5016L, in.topLevel().get(2).offset());
        assertEquals(16, in.topLevel().get(2).headerSize());
        assertEquals(3, in.metadata().size());
    }

    @Test
    void sizeZeroBoxExtendsToTheEnd() throws Exception {
        byte[] lastMdat = concat(u32(0), fourcc("mdat"), new byte[300]);
        Path p = write("z.mp4", ftyp(), moovWithUdta(mdtaMeta(true, TAGS)), lastMdat);
        Mp4Inspection in = Mp4Inspector.inspect(p);
        assertEquals(308, in.topLevel().get(2).size());
        assertEquals(Files.size(p), in.topLevel().get(2).end());
    }

    @Test
    void findsC2paBoxAndItsPurpose() throws Exception {
        Path p = write("c.mp4", ftyp(), c2pa("manifest"), moovWithUdta(mdtaMeta(true, TAGS)), mdat(10),
                uuidBox(UUID.fromString("11111111-2222-3333-4444-555555555555"), new byte[20]));
        Mp4Inspection in = Mp4Inspector.inspect(p);
        assertEquals(1, in.c2pa().size());
        C2paBox c = in.c2pa().get(0);
        assertEquals("manifest", c.purpose());
        assertTrue(c.jumbf());
        assertTrue(c.beforeMedia());
        assertEquals(ftyp().length, c.offset());
        assertEquals(UUID.fromString("d8fec3d6-1b0e-483c-9297-5828877ec481"), in.topLevel().get(1).userType());
    }

    @Test
    void c2paBoxAfterMediaIsFlagged() throws Exception {
        Path p = write("c2.mp4", ftyp(), moovWithUdta(), mdat(10), c2pa("update"));
        C2paBox c = Mp4Inspector.inspect(p).c2pa().get(0);
        assertFalse(c.beforeMedia());
        assertEquals("update", c.purpose());
    }

    @Test
    void truncatedFileIsReportedWithBoxAndOffset() throws Exception {
        byte[] whole = concat(ftyp(), moovWithUdta(mdtaMeta(true, TAGS)), mdat(1000));
        Path p = write("t.mp4", Arrays.copyOf(whole, ftyp().length + 60));
        BmffFormatException e = corrupt(p);
        assertFalse(e.notBmff());
        assertTrue(e.getMessage().contains("'moov' at offset " + ftyp().length), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedNestedBoxIsReported() throws Exception {
        // udta claims more bytes than moov holds
        byte[] udta = box("udta", mdtaMeta(true, TAGS));
        System.arraycopy(u32(udta.length + 50), 0, udta, 0, 4);
        Path p = write("n.mp4", ftyp(), box("moov", udta), mdat(100));
        BmffFormatException e = corrupt(p);
        assertTrue(e.getMessage().contains("'udta'"), e.getMessage());
        assertTrue(e.getMessage().contains("'moov'"), e.getMessage());
    }

    @Test
    void boxSmallerThanItsHeaderIsCorrupt() throws Exception {
        Path p = write("s.mp4", ftyp(), concat(u32(4), fourcc("free"), new byte[16]));
        BmffFormatException e = corrupt(p);
        assertTrue(e.getMessage().contains("invalid size 4"), e.getMessage());
    }

    @Test
    void largesizeBelowHeaderIsCorrupt() throws Exception {
        Path p = write("l.mp4", ftyp(), concat(u32(1), fourcc("mdat"), u64(8), new byte[32]));
        BmffFormatException e = corrupt(p);
        assertTrue(e.getMessage().contains("invalid 64-bit size 8"), e.getMessage());
    }

    @Test
    void hugeLargesizeIsTruncationNotAnEndlessRead() throws Exception {
        Path p = write("h.mp4", ftyp(), concat(u32(1), fourcc("mdat"), u64(Long.MAX_VALUE), new byte[32]));
        BmffFormatException e = corrupt(p);
        assertTrue(e.getMessage().contains("declares " + Long.MAX_VALUE), e.getMessage());
    }

    @Test
    void cutInsideLargesizeIsReported() throws Exception {
        Path p = write("c.mp4", ftyp(), concat(u32(1), fourcc("mdat"), new byte[4]));
        assertTrue(corrupt(p).getMessage().contains("64-bit size"));
    }

    @Test
    void trailingBytesTooShortForAHeaderAreReported() throws Exception {
        Path p = write("tr.mp4", ftyp(), moovWithUdta(), new byte[3]);
        assertTrue(corrupt(p).getMessage().contains("too short for a box header"));
    }

    @Test
    void keysIndexOutOfRangeIsReported() throws Exception {
        byte[] keys = fullBox("keys", 0, 0, u32(1), u32(12), fourcc("mdta"), fourcc("AIGC"));
        byte[] data = box("data", u32(1), u32(0), "v".getBytes());
        byte[] item = concat(u32(8 + data.length), u32(9), data);
        byte[] meta = fullBox("meta", 0, 0, fullBox("hdlr", 0, 0, u32(0), fourcc("mdta"), new byte[13]), keys, box("ilst", item));
        Path p = write("k.mp4", ftyp(), moovWithUdta(meta));
        assertTrue(corrupt(p).getMessage().contains("refers to key 9 but the 'keys' box lists 1"));
    }

    @Test
    void absurdKeyCountIsReported() throws Exception {
        byte[] keys = fullBox("keys", 0, 0, u32(1_000_000_000L), u32(12), fourcc("mdta"), fourcc("AIGC"));
        byte[] meta = fullBox("meta", 0, 0, fullBox("hdlr", 0, 0, u32(0), fourcc("mdta"), new byte[13]), keys, box("ilst"));
        Path p = write("kc.mp4", ftyp(), moovWithUdta(meta));
        assertTrue(corrupt(p).getMessage().contains("claims 1000000000 keys"));
    }

    @Test
    void shortUuidBoxIsReported() throws Exception {
        Path p = write("u.mp4", ftyp(), concat(u32(12), fourcc("uuid"), new byte[4]));
        assertTrue(corrupt(p).getMessage().contains("16-byte extended type"));
    }

    @Test
    void notAnMp4IsRecognised() throws Exception {
        Path png = write("x.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        BmffFormatException e = corrupt(png);
        assertTrue(e.notBmff());
        assertTrue(e.getMessage().contains("89 50 4e 47"), e.getMessage());
        Path tiny = write("t.bin", new byte[] {1, 2, 3});
        assertTrue(corrupt(tiny).notBmff());
    }

    @Test
    void manyTinyBoxesTerminate() throws Exception {
        byte[] free = concat(u32(8), fourcc("free"));
        byte[][] parts = new byte[20_001][];
        parts[0] = ftyp();
        for (int i = 1; i < parts.length; i++) parts[i] = free;
        Path p = write("many.mp4", parts);
        Mp4Inspection in = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Mp4Inspector.inspect(p));
        assertEquals(20_001, in.topLevel().size());
        assertFalse(in.hasMoov());
    }

    @Test
    void twoMoovBoxesAreRejected() throws Exception {
        Path p = write("2.mp4", ftyp(), moovWithUdta(), moovWithUdta());
        assertTrue(corrupt(p).getMessage().contains("more than one 'moov'"));
    }
}
