package io.vestige.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Block-level vectors built from FORMATS.md §8.1 (bvx-, bvxn, bvx$). bvx2 (FSE) blocks are tested on
 * real data in {@code LzfseCorpusTest} (decoded chunks of an Apple-made ULFO image, cross-checked
 * with the zlib/bzip2/ADC/raw versions of the same image and with Apple's stored CRC-32s).
 */
class LzfseTest {
    static byte[] raw(String s) {
        byte[] d = s.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(8 + d.length).order(ByteOrder.LITTLE_ENDIAN).put("bvx-".getBytes(StandardCharsets.US_ASCII))
                .putInt(d.length).put(d).array();
    }

    static byte[] lzvn(int nRaw, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN).put("bvxn".getBytes(StandardCharsets.US_ASCII))
                .putInt(nRaw).putInt(payload.length).put(payload).array();
    }

    static final byte[] END = "bvx$".getBytes(StandardCharsets.US_ASCII);

    static String decode(byte[] s, int dstLen) throws ParseException {
        byte[] d = new byte[dstLen];
        int n = Lzfse.decode(s, 0, s.length, d, 0, d.length);
        return new String(d, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void uncompressedBlock() throws Exception {
        assertEquals("hello", decode(LzvnTest.cat(raw("hello"), END), 16));
        assertEquals("", decode(END, 0));
    }

    @Test
    void lzvnBlockAndMatchesAcrossBlocks() throws Exception {
        assertEquals("abcabcabcabc", decode(LzvnTest.cat(lzvn(12, LzvnTest.ABC), END), 12));
        // the LZVN match (L=0 M=3 D=3: 0x00 0x03) reaches back into the previous bvx- block
        byte[] back = LzvnTest.cat(LzvnTest.bytes(0x00, 0x03), LzvnTest.EOS);
        assertEquals("abcabc", decode(LzvnTest.cat(raw("abc"), lzvn(3, back), END), 6));
    }

    @Test
    void lyingSizesAndOverflow() {
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(lzvn(11, LzvnTest.ABC), END), 64));
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(lzvn(12, LzvnTest.ABC), END), 11));
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(raw("hello"), END), 4));
    }

    @Test
    void badMagicAndTruncation() {
        assertThrows(BadMagicException.class, () -> decode("bvxZ....".getBytes(StandardCharsets.US_ASCII), 16));
        assertThrows(TruncatedException.class, () -> decode(raw("hello"), 16)); // no bvx$
        assertThrows(TruncatedException.class, () -> decode(LzvnTest.cat(raw("hello")), 16));
        byte[] cut = raw("hello");
        assertThrows(TruncatedException.class, () -> decode(java.util.Arrays.copyOf(cut, cut.length - 2), 16));
        // a bvx2 header whose packed header size is below the fixed 32 bytes
        byte[] v2 = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).put("bvx2".getBytes(StandardCharsets.US_ASCII))
                .putInt(0).putLong(0).putLong(0).putLong(8).array();
        assertThrows(TruncatedException.class, () -> decode(v2, 16));
    }

    @Test
    void randomBlocksOnlyEverThrowParseExceptions() {
        Random r = new Random(3);
        String[] magics = {"bvx1", "bvx2", "bvxn", "bvx-", "bvx$"};
        for (int i = 0; i < 5000; i++) {
            byte[] s = new byte[4 + r.nextInt(1200)];
            r.nextBytes(s);
            System.arraycopy(magics[r.nextInt(magics.length)].getBytes(StandardCharsets.US_ASCII), 0, s, 0, 4);
            try {
                Lzfse.decode(s, 0, s.length, new byte[r.nextInt(5000)], 0, 0);
            } catch (ParseException expected) {
                // reported, not crashed
            }
        }
    }

    // ---- FSE blocks with single-symbol tables (every state reads 0 bits), hand-assembled from the
    // header layouts of FORMATS.md §8.1 / lzfse_internal.h: literals "aaaaaa", two matches L=3 M=5 D=3 ----

    static final int[] FREQ = new int[360];

    static {
        FREQ[3] = 64;             // L symbol 3: value 3
        FREQ[20 + 5] = 64;        // M symbol 5: value 5
        FREQ[40 + 3] = 256;       // D symbol 3: value 3
        FREQ[40 + 64 + 'a'] = 1024;
    }

    static byte[] v1Block() {
        ByteBuffer b = ByteBuffer.allocate(772 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("bvx1".getBytes(StandardCharsets.US_ASCII)).putInt(16).putInt(16);
        b.putInt(6).putInt(2).putInt(8).putInt(8); // n_literals, n_matches, literal payload, LMD payload
        b.putInt(0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0); // literal bits, states
        b.putInt(0).putShort((short) 0).putShort((short) 0).putShort((short) 0); // lmd bits, L/M/D states
        for (int f : FREQ) {
            b.putShort((short) f);
        }
        return b.array(); // header padded to 772, then 8 + 8 zero payload bytes
    }

    static byte[] v2Block() {
        // frequency values with the prefix code: 0 -> 2 bits "00"; 64/256/1024 -> 14 bits: 1111 + (v - 24) in 10 bits
        long acc = 0;
        int n = 0;
        java.io.ByteArrayOutputStream freq = new java.io.ByteArrayOutputStream();
        for (int f : FREQ) {
            int code;
            int len;
            if (f == 0) {
                code = 0;
                len = 2;
            } else {
                code = 0xf | (f - 24) << 4;
                len = 14;
            }
            acc |= (long) code << n;
            n += len;
            while (n >= 8) {
                freq.write((int) acc & 0xff);
                acc >>>= 8;
                n -= 8;
            }
        }
        if (n > 0) {
            freq.write((int) acc & 0xff);
        }
        int headerSize = 32 + freq.size();
        long v0 = 6L | 8L << 20 | 2L << 40 | 7L << 60;
        long v1 = 8L << 40 | 7L << 60;
        long v2 = headerSize;
        ByteBuffer b = ByteBuffer.allocate(headerSize + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("bvx2".getBytes(StandardCharsets.US_ASCII)).putInt(16).putLong(v0).putLong(v1).putLong(v2);
        b.put(freq.toByteArray());
        return b.array();
    }

    @Test
    void fseBlocksVersion1AndVersion2() throws Exception {
        String expected = "a".repeat(16);
        assertEquals(expected, decode(LzvnTest.cat(v1Block(), END), 16));
        assertEquals(expected, decode(LzvnTest.cat(v2Block(), END), 16));
        // a block after a block: the stream continues at the end of the LMD payload
        assertEquals(expected + expected, decode(LzvnTest.cat(v2Block(), v1Block(), END), 32));
    }

    @Test
    void fseBlockDamage() {
        byte[] v1 = v1Block();
        ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).putShort(50 + 2 * 3, (short) 65); // L frequencies sum to 65 > 64
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(v1, END), 16));
        byte[] many = v1Block();
        ByteBuffer.wrap(many).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 10001); // n_matches above the block maximum
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(many, END), 16));
        byte[] longLit = v1Block();
        ByteBuffer.wrap(longLit).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 3); // a third match runs out of literals
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(longLit, END), 64));
        byte[] v2 = v2Block();
        v2[v2.length - 17] ^= 0x40; // damage the frequency table's last byte
        assertThrows(ParseException.class, () -> decode(LzvnTest.cat(v2, END), 16));
        assertThrows(MalformedException.class, () -> decode(LzvnTest.cat(v1Block(), END), 15)); // output overflow
        assertThrows(TruncatedException.class, () -> decode(java.util.Arrays.copyOf(v1Block(), 780), 16));
    }
}
