package io.vestige.format.udif;

import static io.vestige.format.udif.UdifTestSupport.media;
import static io.vestige.format.udif.UdifTestSupport.open;
import static io.vestige.format.udif.UdifTestSupport.patchMish;
import static io.vestige.format.udif.UdifTestSupport.readAll;
import static io.vestige.format.udif.UdifTestSupport.readRandom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.udif.UdifWriter;
import io.vestige.fixtures.udif.UdifWriter.Codec;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import io.vestige.testing.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** UDIF reader against images from the independent fixture writer, dmg2img, and hostile variants. */
class UdifFormatTest {
    @TempDir
    Path tmp;

    static final int SECTORS = 6000; // ~3 MiB: several 1 MiB chunks and a short last one

    @ParameterizedTest
    @EnumSource(Codec.class)
    void everyCodecRoundTrips(Codec codec) throws Exception {
        byte[] m = media(SECTORS, 1);
        byte[] dmg = new UdifWriter().codec(codec).chunkSectors(1000).forceCodec(true).write(m);
        OpenOptions o = OpenOptions.defaults().with("udif.verify", "full");
        try (Container c = open(dmg, o)) {
            assertEquals(m.length, c.info().mediaSize());
            assertEquals(512, c.info().sectorSize());
            assertArrayEquals(m, readAll(c));
            assertArrayEquals(m, readRandom(c));
            assertChecksumsOk(c);
            @SuppressWarnings("unchecked")
            Map<String, Long> types = (Map<String, Long>) c.info().details().get("chunkTypes");
            assertTrue(types.containsKey("zero"), types.toString());
            String expected = Map.of(Codec.RAW, "raw", Codec.ADC, "adc", Codec.ZLIB, "zlib", Codec.BZIP2, "bzip2",
                    Codec.LZFSE, "lzfse", Codec.LZMA, "lzma").get(codec);
            assertEquals(5L, types.get(expected), types.toString());
        }
    }

    @SuppressWarnings("unchecked")
    static void assertChecksumsOk(Container c) {
        List<Map<String, Object>> cs = (List<Map<String, Object>>) c.info().details().get("checksums");
        assertEquals(3, cs.size(), cs.toString()); // master, data fork, one table
        for (Map<String, Object> r : cs) {
            assertEquals(Boolean.TRUE, r.get("ok"), r.toString());
        }
    }

    @Test
    void writerOutputMatchesDmg2img() throws Exception {
        Tools.assume("dmg2img", "dmg2img");
        byte[] m = media(SECTORS, 2);
        for (Codec codec : List.of(Codec.ZLIB, Codec.BZIP2, Codec.RAW, Codec.ADC)) {
            Path dmg = tmp.resolve(codec + ".dmg");
            Files.write(dmg, new UdifWriter().codec(codec).write(m));
            Path out = tmp.resolve(codec + ".img");
            Tools.Result r = Tools.run(List.of("dmg2img", "-s", "-i", dmg.toString(), "-o", out.toString()));
            assertEquals(0, r.exitCode(), r.stderr());
            assertArrayEquals(m, Files.readAllBytes(out), codec + ": dmg2img disagrees with the writer");
            try (Container c = open(dmg, OpenOptions.defaults())) {
                assertArrayEquals(m, readAll(c), codec + ": reader disagrees with the writer");
            }
        }
    }

    @Test
    void multiplePartitionsAndVariantGuess() throws Exception {
        byte[] m = media(4000, 3);
        byte[] dmg = new UdifWriter().codec(Codec.BZIP2).partitions(List.of(
                new UdifWriter.Partition("Protective Master Boot Record (MBR : 0)", 0, 1),
                new UdifWriter.Partition("GPT Header (Primary GPT Header : 1)", 1, 1),
                new UdifWriter.Partition("disk image (Apple_HFS : 2)", 2, 3998))).write(m);
        try (Container c = open(dmg, OpenOptions.defaults().with("udif.verify", "full"))) {
            assertArrayEquals(m, readAll(c));
            Map<String, Object> d = c.info().details();
            assertEquals("UDBZ", d.get("variant"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parts = (List<Map<String, Object>>) d.get("partitions");
            assertEquals(List.of("Protective Master Boot Record (MBR : 0)", "GPT Header (Primary GPT Header : 1)",
                    "disk image (Apple_HFS : 2)"), parts.stream().map(p -> p.get("name")).toList());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) d.get("checksums");
            assertEquals(5, cs.size());
            cs.forEach(r -> assertEquals(Boolean.TRUE, r.get("ok"), r.toString()));
        }
    }

    @Test
    void missingCfNameAndJunkAfterThePlist() throws Exception {
        byte[] m = media(1200, 4);
        byte[] dmg = new UdifWriter().omitCfName(true).trailingJunk("\0\0garbage after plist\n".getBytes(StandardCharsets.US_ASCII)).write(m);
        try (Container c = open(dmg, OpenOptions.defaults())) {
            assertArrayEquals(m, readAll(c));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parts = (List<Map<String, Object>>) c.info().details().get("partitions");
            assertEquals("whole disk (Apple_HFS : 0)", parts.get(0).get("name")); // from Name
        }
    }

    @Test
    void oldStyleResourceForkImage() throws Exception {
        byte[] m = media(2500, 5);
        byte[] dmg = new UdifWriter().resourceForkOnly(true).write(m);
        try (Container c = open(dmg, OpenOptions.defaults().with("udif.verify", "full"))) {
            assertArrayEquals(m, readAll(c));
            assertEquals("resource fork", c.info().details().get("blkxSource"));
            assertChecksumsOk(c);
        }
    }

    @Test
    void segmentedImage() throws Exception {
        byte[] m = media(SECTORS, 6);
        Path first = tmp.resolve("seg.dmg");
        List<Path> files = new UdifWriter().codec(Codec.ZLIB).segmentSize(400_000)
                .write(new java.io.ByteArrayInputStream(m), m.length, first);
        assertTrue(files.size() >= 3, files.toString());
        try (Container c = open(first, OpenOptions.defaults().with("udif.verify", "full"))) {
            assertArrayEquals(m, readAll(c));
            assertEquals(files.size(), c.info().segments().size());
            assertEquals("seg.002.dmgpart", c.info().segments().get(1));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) c.info().details().get("checksums");
            assertEquals(2 + files.size(), cs.size());
            cs.forEach(r -> assertEquals(Boolean.TRUE, r.get("ok"), r.toString()));
        }
        // a later segment given alone is refused with a pointer to the first
        ParseException e = assertThrows(ParseException.class, () -> open(files.get(1), OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("segment 2 of"), e.getMessage());
        // a missing segment
        Files.delete(files.get(files.size() - 1));
        assertThrows(TruncatedException.class, () -> open(first, OpenOptions.defaults()));
    }

    @Test
    void probeAndRegistryOrder() throws Exception {
        byte[] dmg = new UdifWriter().write(media(100, 7));
        Path p = tmp.resolve("x.dmg");
        Files.write(p, dmg);
        try (EvidenceCandidate c = EvidenceCandidate.of(p)) {
            assertTrue(new UdifFormat().probe(c));
            assertEquals("udif", ProbeRegistry.standard().containers().stream().filter(f -> {
                try {
                    return f.probe(c);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).findFirst().orElseThrow().name());
        }
        // a raw disk whose last sector merely starts with "koly" is not UDIF (version/size checked)
        byte[] raw = new byte[4096];
        System.arraycopy("koly".getBytes(StandardCharsets.US_ASCII), 0, raw, 4096 - 512, 4);
        Path q = tmp.resolve("raw.img");
        Files.write(q, raw);
        try (EvidenceCandidate c = EvidenceCandidate.of(q)) {
            assertFalse(new UdifFormat().probe(c));
        }
    }

    /** Some writers put the koly block first: move it there and shift every file offset by 512. */
    @Test
    void kolyAtTheStart() throws Exception {
        byte[] m = media(1500, 16);
        byte[] dmg = new UdifWriter().write(m);
        byte[] koly = Arrays.copyOfRange(dmg, dmg.length - 512, dmg.length);
        ByteBuffer k = ByteBuffer.wrap(koly);
        k.putLong(24, k.getLong(24) + 512); // data fork offset
        k.putLong(216, k.getLong(216) + 512); // plist offset
        byte[] moved = new byte[dmg.length];
        System.arraycopy(koly, 0, moved, 0, 512);
        System.arraycopy(dmg, 0, moved, 512, dmg.length - 512);
        try (Container c = open(moved, OpenOptions.defaults().with("udif.verify", "full"))) {
            assertArrayEquals(m, readAll(c));
            assertChecksumsOk(c);
        }
    }

    /** Sectors that no blkx table covers (between tables, after the last one) read as zeros. */
    @Test
    void uncoveredSectorsReadAsZeros() throws Exception {
        byte[] m = media(300, 17);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).partitions(List.of(
                new UdifWriter.Partition("a (Apple_HFS : 0)", 0, 100),
                new UdifWriter.Partition("b (Apple_HFS : 1)", 100, 200))).write(m);
        byte[] moved = patchMish(dmg, 1, b -> b.putLong(8, 108)); // table b now starts 8 sectors later
        ByteBuffer.wrap(moved).putLong(moved.length - 512 + 492, 400); // koly: 400 sectors
        byte[] expected = new byte[400 * 512];
        System.arraycopy(m, 0, expected, 0, 100 * 512);
        System.arraycopy(m, 100 * 512, expected, 108 * 512, 200 * 512);
        try (Container c = open(moved, OpenOptions.defaults())) {
            assertEquals(400 * 512, c.info().mediaSize());
            assertArrayEquals(expected, readAll(c));
            assertArrayEquals(expected, readRandom(c));
        }
    }

    // ---- hostile input ----

    @Test
    void badMagicAndTruncatedFile() throws Exception {
        byte[] dmg = new UdifWriter().write(media(100, 8));
        byte[] bad = dmg.clone();
        bad[bad.length - 512] = 'X';
        assertThrows(BadMagicException.class, () -> open(bad, OpenOptions.defaults()));
        byte[] cut = Arrays.copyOf(dmg, dmg.length / 2);
        assertThrows(ParseException.class, () -> open(cut, OpenOptions.defaults()));
        assertThrows(TruncatedException.class, () -> open(new byte[100], OpenOptions.defaults()));
    }

    @Test
    void plistPointingOutsideTheFile() throws Exception {
        byte[] dmg = new UdifWriter().write(media(100, 9));
        ByteBuffer.wrap(dmg).putLong(dmg.length - 512 + 216, 1L << 40);
        MalformedException e = assertThrows(MalformedException.class, () -> open(dmg, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        byte[] dmg2 = new UdifWriter().write(media(100, 9));
        ByteBuffer.wrap(dmg2).putLong(dmg2.length - 512 + 224, Long.MAX_VALUE); // length
        assertThrows(MalformedException.class, () -> open(dmg2, OpenOptions.defaults()));
    }

    @Test
    void decompressionBombIsRefusedBeforeAllocating() throws Exception {
        byte[] m = media(2048, 10);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).chunkSectors(2048).write(m);
        // chunk 0 claims 2^40 sectors (512 TiB) of zlib output
        byte[] bomb = patchMish(dmg, 0, b -> b.putLong(204 + 16, 1L << 40));
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> open(bomb, OpenOptions.defaults()));
        assertEquals("maxChunkSize", e.setting());
    }

    @Test
    void hugeChunkCount() throws Exception {
        byte[] dmg = new UdifWriter().write(media(100, 11));
        byte[] huge = patchMish(dmg, 0, b -> b.putInt(200, -1));
        assertThrows(LimitExceededException.class, () -> open(huge, OpenOptions.defaults()));
        byte[] lying = patchMish(dmg, 0, b -> b.putInt(200, 1000)); // more chunks than the table holds
        assertThrows(TruncatedException.class, () -> open(lying, OpenOptions.defaults()));
    }

    @Test
    void overlappingChunksAndDataOutsideTheFork() throws Exception {
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).chunkSectors(100).write(media(400, 12));
        byte[] overlap = patchMish(dmg, 0, b -> b.putLong(204 + 40 + 8, 50)); // chunk 1 starts inside chunk 0
        MalformedException e = assertThrows(MalformedException.class, () -> open(overlap, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        byte[] outside = patchMish(dmg, 0, b -> b.putLong(204 + 24, 1L << 50));
        e = assertThrows(MalformedException.class, () -> open(outside, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("outside the data fork"), e.getMessage());
    }

    @Test
    void corruptChunkIsADiagnosticAndZerosOrAnErrorInStrictMode() throws Exception {
        byte[] m = media(400, 13);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).chunkSectors(100).write(m);
        byte[] bad = dmg.clone();
        for (int i = 10; i < 60; i++) {
            bad[i] ^= 0x5a; // inside the first zlib chunk
        }
        Diagnostics d = new Diagnostics();
        try (Container c = open(bad, OpenOptions.defaults().withDiagnostics(d).with("udif.verify", "none"))) {
            byte[] got = readAll(c);
            assertEquals(m.length, got.length);
            assertArrayEquals(new byte[100 * 512], Arrays.copyOf(got, 100 * 512));
            assertArrayEquals(Arrays.copyOfRange(m, 100 * 512, m.length), Arrays.copyOfRange(got, 100 * 512, m.length));
            assertFalse(d.isEmpty());
            assertTrue(d.list().get(0).message().contains("zlib"), d.list().toString());
        }
        Diagnostics strict = new Diagnostics(100, true);
        try (Container c = open(bad, OpenOptions.defaults().withDiagnostics(strict).with("udif.verify", "none"))) {
            assertThrows(MalformedException.class, () -> c.media().readBytes(0, 512));
        }
        // with verification on, the stored CRC-32s catch it too
        Diagnostics v = new Diagnostics();
        try (Container c = open(bad, OpenOptions.defaults().withDiagnostics(v).with("udif.verify", "full"))) {
            assertFalse(c.diagnostics().isEmpty());
            assertTrue(v.list().stream().anyMatch(x -> x.message().contains("CRC-32 mismatch")), v.list().toString());
        }
    }

    @Test
    void lyingSectorCountIsMalformed() throws Exception {
        byte[] m = media(100, 14);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).chunkSectors(100).write(m);
        byte[] lie = patchMish(dmg, 0, b -> {
            b.putLong(16, 101);
            b.putLong(204 + 16, 101); // chunk 0 says 101 sectors; its zlib data holds 100
        });
        Diagnostics strict = new Diagnostics(100, true);
        try (Container c = open(lie, OpenOptions.defaults().withDiagnostics(strict).with("udif.verify", "none"))) {
            MalformedException e = assertThrows(MalformedException.class, () -> c.media().readBytes(0, 512));
            assertTrue(e.getMessage().contains("decodes to"), e.getMessage());
        }
    }

    @Test
    void randomMutationsNeverEscapeAsRuntimeExceptions() throws Exception {
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).chunkSectors(64).write(media(300, 15));
        Random r = new Random(99);
        int plist = new String(dmg, StandardCharsets.ISO_8859_1).indexOf("<?xml");
        String env = System.getenv("VESTIGE_FUZZ_ITERATIONS");
        int iterations = env == null ? 400 : Integer.parseInt(env);
        for (int i = 0; i < iterations; i++) {
            byte[] x = dmg.clone();
            int n = 1 + r.nextInt(8);
            for (int k = 0; k < n; k++) {
                int pos;
                int region = r.nextInt(3);
                if (region == 0) {
                    pos = dmg.length - 512 + r.nextInt(512); // koly
                } else if (region == 1) {
                    pos = plist + r.nextInt(dmg.length - 512 - plist); // plist
                } else {
                    pos = r.nextInt(plist); // data fork
                }
                x[pos] = (byte) r.nextInt(256);
            }
            Diagnostics d = new Diagnostics(1000, i % 2 == 0);
            try (Container c = open(x, OpenOptions.defaults().withDiagnostics(d))) {
                long size = Math.min(c.media().size(), 1 << 20);
                c.media().readAtMost(0, (int) size);
            } catch (IOException expected) {
                // every failure is a checked, described error
            }
        }
    }
}
