package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damage to a real tracev3 file (mutated in memory): a truncated file, a chunk whose size lies, a
 * bad LZ4 block, an unknown chunk tag. Each gives a diagnostic and the events of the other chunks
 * are still decoded.
 */
@Tag("corpus")
class Tracev3DamageTest {
    static byte[] good;
    static List<long[]> chunks; // {offset, tag, size}
    static Tracev3CorpusTest.Run base;

    @BeforeAll
    static void load() throws Exception {
        good = Files.readAllBytes(Corpus.file("unified-logs/dtformats/0000000000000f85.tracev3"));
        chunks = new ArrayList<>();
        // an independent walk over the 16-byte chunk headers (tag u32, subtag u32, size u64; 8-aligned)
        long o = 0;
        while (o + 16 <= good.length) {
            int tag = Chunkset.le32(good, (int) o);
            long size = Chunkset.le32(good, (int) o + 8) & 0xffffffffL;
            chunks.add(new long[] {o, tag, size});
            o = (o + 16 + size + 7) & ~7L;
        }
        assertEquals(good.length, Math.min(o, good.length));
        base = Tracev3CorpusTest.file(good, "f85");
        Tracev3CorpusTest.noDamage(base);
    }

    static long[] chunkset(int nth) {
        int k = 0;
        for (long[] c : chunks) {
            if (c[1] == Chunkset.TAG && k++ == nth) {
                return c;
            }
        }
        throw new AssertionError("no chunkset " + nth);
    }

    /** Events that come from chunksets other than the one at {@code off}. */
    static long eventsOutside(List<LogEvent> ev, long off) {
        String tag = "chunkset @ 0x" + Long.toHexString(off) + " ";
        return ev.stream().filter(e -> !e.source().toString().contains(tag)).count();
    }

    @Test
    void badLz4Block() throws Exception {
        long[] c = chunkset(3);
        byte[] b = good.clone();
        // overwrite the middle of the LZ4 data (after bv41 + raw + compressed sizes) with 0xFF
        int start = (int) c[0] + 16 + 12 + (int) (c[2] / 3);
        for (int i = 0; i < 64; i++) {
            b[start + i] = (byte) 0xff;
        }
        Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(b, "f85-lz4");
        assertTrue(r.stats().decodeErrors() >= 1);
        assertTrue(r.diags().list().stream().anyMatch(d -> d.message().contains("LZ4") || d.structure().contains("LZ4")
                || d.message().contains("decompressed")), r.diags().list().toString());
        assertEquals(eventsOutside(base.events(), c[0]), eventsOutside(r.events(), c[0]));
    }

    @Test
    void lyingChunkSize() throws Exception {
        long[] c = chunkset(2);
        byte[] b = good.clone();
        b[(int) c[0] + 12] = 0x7f; // size becomes ~ 0x7f << 32: past the end of the file
        Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(b, "f85-size");
        assertTrue(r.stats().decodeErrors() >= 1);
        assertTrue(r.diags().list().stream().anyMatch(d -> d.message().contains("runs past the end")), r.diags().list().toString());
        // the reader resynchronises on the next chunk: only the damaged chunkset's events are lost
        assertEquals(eventsOutside(base.events(), c[0]), r.events().size());
    }

    @Test
    void lyingSizeInsideFile() throws Exception {
        long[] c = chunkset(1);
        byte[] b = good.clone();
        b[(int) c[0] + 8] = (byte) (b[(int) c[0] + 8] + 24); // 24 bytes too long: next header is misread
        Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(b, "f85-size2");
        assertTrue(r.stats().decodeErrors() >= 1, r.stats().summary());
        assertTrue(r.events().size() >= eventsOutside(base.events(), c[0]) - 400, r.events().size() + " of " + base.events().size());
    }

    @Test
    void truncatedFile() throws Exception {
        long[] c = chunkset(5);
        int cut = (int) (c[0] + 16 + c[2] / 2);
        Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(java.util.Arrays.copyOf(good, cut), "f85-cut");
        assertEquals(1, r.stats().decodeErrors(), r.diags().list().toString());
        long before = base.events().stream().filter(e -> sourceOffset(e) < c[0]).count();
        assertEquals(before, r.events().size());
    }

    @Test
    void unknownChunkTag() throws Exception {
        long[] c = chunkset(4);
        byte[] b = good.clone();
        b[(int) c[0]] = 0x42;
        Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(b, "f85-tag");
        assertEquals(1, r.stats().decodeErrors());
        assertEquals(eventsOutside(base.events(), c[0]), r.events().size());
    }

    @Test
    void randomCorruptionNeverThrows() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 30; round++) {
            byte[] b = good.clone();
            for (int k = 0; k < 20; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            Tracev3CorpusTest.Run r = Tracev3CorpusTest.file(b, "fuzz" + round);
            assertFalse(r.events().isEmpty());
        }
    }

    static long sourceOffset(LogEvent e) {
        String s = e.source().toString();
        int i = s.indexOf("chunkset @ 0x");
        return Long.parseLong(s.substring(i + 13, s.indexOf(' ', i + 13)), 16);
    }
}
