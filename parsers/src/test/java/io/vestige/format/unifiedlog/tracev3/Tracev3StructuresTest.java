package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Random;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/** Good bytes, truncation, bad magic and huge counts for the tracev3 side structures. */
class Tracev3StructuresTest {
    static byte[] sample(int n) {
        Random r = new Random(1);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ("firehose tracepoint ".charAt(i % 20) + (r.nextInt(8) == 0 ? 1 : 0));
        }
        return b;
    }

    static byte[] chunkset(byte[]... blocks) {
        ByteBuffer bb = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        LZ4Compressor c = LZ4Factory.safeInstance().fastCompressor();
        for (byte[] raw : blocks) {
            byte[] comp = c.compress(raw);
            bb.putInt(Chunkset.BV41).putInt(raw.length).putInt(comp.length).put(comp);
        }
        bb.putInt(Chunkset.BV4_END);
        byte[] out = new byte[bb.position()];
        bb.flip().get(out);
        return out;
    }

    @Test
    void chunksetRoundTrip() throws Exception {
        byte[] a = sample(5000);
        byte[] cs = chunkset(a);
        assertArrayEquals(a, Chunkset.decompress(cs, 0, cs.length, 0, ParseLimits.defaults()));
    }

    @Test
    void prefixDecoderMatchesLz4Java() throws Exception {
        byte[] a = sample(70_000);
        byte[] comp = LZ4Factory.safeInstance().highCompressor().compress(a);
        byte[] out = new byte[a.length];
        assertEquals(a.length, Chunkset.decodeWithPrefix(comp, 0, comp.length, out, 0, a.length));
        assertArrayEquals(a, out);
    }

    @Test
    void secondBlockMayReferToTheFirst() throws Exception {
        // hand-made block 2: token 0x0F (0 literals, match length 4+15+1=20), offset 8 into block 1's output
        byte[] first = "ABCDEFGH".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] b2 = {0x0F, 8, 0, 1, 0x10, 'Z'};
        ByteBuffer bb = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(Chunkset.BV4_STORED).putInt(8).put(first);
        bb.putInt(Chunkset.BV41).putInt(21).putInt(b2.length).put(b2).putInt(Chunkset.BV4_END);
        byte[] cs = java.util.Arrays.copyOf(bb.array(), bb.position());
        byte[] d = Chunkset.decompress(cs, 0, cs.length, 0, ParseLimits.defaults());
        assertEquals("ABCDEFGHABCDEFGHABCDEFGHABCDZ", new String(d, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void chunksetDamage() {
        byte[] cs = chunkset(sample(3000));
        byte[] cut = java.util.Arrays.copyOf(cs, cs.length - 10);
        assertThrows(TruncatedException.class, () -> Chunkset.decompress(cut, 0, cut.length, 0, ParseLimits.defaults()));
        byte[] bad = cs.clone();
        bad[0] = 'x';
        assertThrows(MalformedException.class, () -> Chunkset.decompress(bad, 0, bad.length, 0, ParseLimits.defaults()));
        byte[] lie = cs.clone();
        lie[4] = (byte) 0xff; // raw size larger than the data decompresses to
        lie[5] = (byte) 0xff;
        assertThrows(MalformedException.class, () -> Chunkset.decompress(lie, 0, lie.length, 0, ParseLimits.defaults()));
        byte[] huge = cs.clone();
        huge[7] = 0x7f;
        assertThrows(LimitExceededException.class, () -> Chunkset.decompress(huge, 0, huge.length, 0, ParseLimits.defaults()));
    }

    @Test
    void uuidtextBadMagicTruncatedHugeCount() {
        byte[] u = new byte[32];
        ByteBuffer.wrap(u).order(ByteOrder.LITTLE_ENDIAN).putInt((int) Uuidtext.MAGIC).putInt(2).putInt(1).putInt(1).putInt(0).putInt(100);
        assertThrows(TruncatedException.class, () -> Uuidtext.parse(u, ParseLimits.defaults()));
        byte[] m = u.clone();
        m[0] = 0;
        assertThrows(BadMagicException.class, () -> Uuidtext.parse(m, ParseLimits.defaults()));
        byte[] h = u.clone();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
        assertThrows(LimitExceededException.class, () -> Uuidtext.parse(h, ParseLimits.defaults()));
        assertThrows(TruncatedException.class, () -> Uuidtext.parse(new byte[3], ParseLimits.defaults()));
    }

    @Test
    void dscBadMagicHugeCount() {
        byte[] d = new byte[64];
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {'h', 'c', 's', 'd'}).putShort((short) 2).putShort((short) 0)
                .putInt(1_000_000).putInt(1);
        assertThrows(TruncatedException.class, () -> SharedCacheStrings.parse(d, ParseLimits.defaults()));
        byte[] v9 = d.clone();
        v9[4] = 9;
        assertThrows(io.vestige.io.UnsupportedFormatException.class, () -> SharedCacheStrings.parse(v9, ParseLimits.defaults()));
        byte[] m = d.clone();
        m[0] = 'x';
        assertThrows(BadMagicException.class, () -> SharedCacheStrings.parse(m, ParseLimits.defaults()));
    }

    @Test
    void catalogHugeCounts() {
        byte[] c = new byte[40 + 16 + 48];
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, Catalog.TAG).putShort(16, (short) 16).putShort(18, (short) 16).putShort(20, (short) 1);
        bb.putInt(40 + 16 + 32, 0x7fffffff); // UUID-info count of the one process entry
        assertThrows(TruncatedException.class, () -> Catalog.parse(c, 0, ParseLimits.defaults()));
        bb.putShort(16, (short) 7); // strings offset not a multiple of 16
        assertThrows(MalformedException.class, () -> Catalog.parse(c, 0, ParseLimits.defaults()));
    }

    @Test
    void notATracev3File() throws Exception {
        Diagnostics d = new Diagnostics();
        DecodeStats s = UnifiedLogStore.readFile(ByteSources.wrap(sample(4096)), EvidencePath.ofFile("junk"), null,
                new ArrayList<>()::add, d);
        assertEquals(0, s.eventsEmitted());
        assertTrue(s.decodeErrors() >= 1);
        DecodeStats e = UnifiedLogStore.readFile(ByteSources.wrap(new byte[0]), EvidencePath.ofFile("empty"), null,
                new ArrayList<>()::add, new Diagnostics());
        assertEquals(0, e.entriesRead());
    }
}
