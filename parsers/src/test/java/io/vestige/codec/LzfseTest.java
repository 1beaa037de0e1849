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
}
