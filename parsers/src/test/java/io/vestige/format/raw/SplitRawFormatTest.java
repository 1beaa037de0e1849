package io.vestige.format.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.io.MediaHasher;
import io.vestige.testing.Tools;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitRawFormatTest {
    @TempDir
    Path dir;

    private byte[] writeParts(String stem, List<String> suffixes, int pieceSize) throws Exception {
        byte[] all = new byte[pieceSize * suffixes.size() - 1000];
        new Random(4).nextBytes(all);
        for (int i = 0; i < suffixes.size(); i++) {
            int from = i * pieceSize;
            int to = Math.min(all.length, from + pieceSize);
            Files.write(dir.resolve(stem + suffixes.get(i)), java.util.Arrays.copyOfRange(all, from, to));
        }
        return all;
    }

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    @Test
    void numberedSetFromAnyPiece() throws Exception {
        byte[] all = writeParts("disk.", List.of("001", "002", "003"), 100_000);
        SplitRawFormat f = new SplitRawFormat();
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("disk.002"))) {
            assertTrue(f.probe(c));
            try (Container ct = f.open(c, OpenOptions.defaults())) {
                assertEquals(List.of("disk.001", "disk.002", "disk.003"), ct.info().segments());
                assertEquals(all.length, ct.info().mediaSize());
                assertEquals("raw", ct.info().format());
                assertEquals(sha1(all), MediaHasher.hash(ct.media(), List.of("sha1"), 1, null).digests().get("sha1"));
                assertArrayEquals(java.util.Arrays.copyOfRange(all, 99_990, 100_020), ct.media().readBytes(99_990, 30));
            }
        }
        if (Tools.which("img_stat") != null) {
            Tools.Result r = Tools.run(List.of("img_stat", dir.resolve("disk.001").toString()));
            assertTrue(r.out().contains("Size in bytes: " + all.length), r.out());
            assertTrue(r.out().contains("disk.003  (200000 to " + (all.length - 1) + ")"), r.out());
        }
    }

    @Test
    void letteredSetAndLonePieces() throws Exception {
        byte[] all = writeParts("x.", List.of("aa", "ab", "ac"), 5000);
        SplitRawFormat f = new SplitRawFormat();
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("x.aa"));
             Container ct = f.open(c, OpenOptions.defaults())) {
            assertEquals(3, ct.info().segments().size());
            assertArrayEquals(all, ct.media().readBytes(0, all.length));
        }
        Files.write(dir.resolve("lone.aa"), new byte[10]);
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("lone.aa"))) {
            assertFalse(f.probe(c));
        }
        Files.write(dir.resolve("single.001"), new byte[512]);
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("single.001"))) {
            assertTrue(f.probe(c));
        }
        Files.write(dir.resolve("plain.dd"), new byte[512]);
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("plain.dd"))) {
            assertFalse(f.probe(c));
        }
        EvidenceOpener op = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults());
        assertEquals("splitraw", op.detect(dir.resolve("x.ab")).name());
        assertEquals("raw", op.detect(dir.resolve("plain.dd")).name());
    }

    @Test
    void sparseTerabyteStaysFlat() throws Exception {
        long half = 512L << 30;
        for (String s : List.of("big.001", "big.002")) {
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve(s).toFile(), "rw")) {
                f.setLength(half);
                f.seek(half - 4);
                f.write(new byte[] {1, 2, 3, 4});
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        try (EvidenceCandidate c = EvidenceCandidate.of(dir.resolve("big.001"));
             Container ct = new SplitRawFormat().open(c, OpenOptions.defaults())) {
            assertEquals(2 * half, ct.media().size());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 0, 0}, ct.media().readBytes(half - 4, 6));
            assertArrayEquals(new byte[] {3, 4}, ct.media().readBytes(2 * half - 2, 2));
            Random r = new Random(9);
            for (int i = 0; i < 2000; i++) {
                long off = (r.nextLong() >>> 1) % (2 * half - 65536);
                ct.media().readBytes(off, 65536);
            }
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            assertTrue(after - before < 64L << 20, "heap grew by " + (after - before));
        }
    }
}
