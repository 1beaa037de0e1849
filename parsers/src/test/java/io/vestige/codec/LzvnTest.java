package io.vestige.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Vectors assembled by hand from the opcode table of FORMATS.md §8.2 (Apple's lzvn_decode_base.c). */
class LzvnTest {
    static final byte[] EOS = {0x06, 0, 0, 0, 0, 0, 0, 0};

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] r = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, r, o, p.length);
            o += p.length;
        }
        return r;
    }

    static String decode(byte[] src, int dstLen) throws ParseException {
        byte[] dst = new byte[dstLen];
        int n = Lzvn.decode(src, 0, src.length, dst, 0, dst.length);
        return new String(dst, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** sml_l "abc" (0xE3), sml_d L=0 M=9 D=3 (0x30 0x03), end of stream. */
    static final byte[] ABC = cat(bytes(0xE3, 'a', 'b', 'c', 0x30, 0x03), EOS);

    @Test
    void smallLiteralAndSmallDistanceMatch() throws Exception {
        assertEquals("abcabcabcabc", decode(ABC, 64));
    }

    @Test
    void literalsInsideMatchOpcodesAndPreviousDistance() throws Exception {
        // sml_d L=2 M=4 D=2 (0x88 0x02 "xy"), pre_d L=1 M=3 (0x46 "z") reusing D=2
        byte[] s = cat(bytes(0x88, 0x02, 'x', 'y', 0x46, 'z'), EOS);
        assertEquals("xyxyxyzyzy", decode(s, 64));
    }

    @Test
    void largeAndMediumDistancesAndMatchOnlyOpcodes() throws Exception {
        byte[] s = cat(bytes(0xE3, 'a', 'b', 'c'),
                bytes(0x07, 0x03, 0x00),          // lrg_d L=0 M=3 D=3
                bytes(0xA0, 0x1A, 0x00),          // med_d L=0 M=5 D=6
                bytes(0xF2),                      // sml_m M=2 at D=6
                bytes(0xE0, 0x00), "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII), // lrg_l L=16
                bytes(0xF0, 0x01),                // lrg_m M=17 at D=6
                bytes(0x0E),                      // nop
                EOS);
        assertEquals("abcabcabcabca" + "0123456789ABCDEF" + "ABCDEFABCDEFABCDE", decode(s, 128));
    }

    @Test
    void stopsWhenDestinationIsFull() throws Exception {
        assertEquals("abcab", decode(ABC, 5));
    }

    @Test
    void undefinedOpcode() {
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0x1E), EOS), 16));
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0x70), EOS), 16));
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0xD5), EOS), 16));
    }

    @Test
    void distanceBeforeTheStartOfOutput() {
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0xE1, 'a', 0x30, 0x05), EOS), 64));
        // pre_d with no previous distance
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0x46, 'z'), EOS), 64));
        // sml_m with no previous distance
        assertThrows(MalformedException.class, () -> decode(cat(bytes(0xE1, 'a', 0xF2), EOS), 64));
    }

    @Test
    void truncatedInput() {
        assertThrows(TruncatedException.class, () -> decode(bytes(0xE3, 'a', 'b'), 64));
        assertThrows(TruncatedException.class, () -> decode(bytes(0xE1, 'a'), 64)); // no end of stream
        assertThrows(TruncatedException.class, () -> decode(bytes(0xE1, 'a', 0x06, 0, 0), 64)); // short EOS
        assertThrows(TruncatedException.class, () -> decode(bytes(0x07, 0x03), 64));
    }

    @Test
    void randomAndMutatedInputOnlyEverThrowsParseExceptions() {
        Random r = new Random(7);
        byte[] base = cat(bytes(0xE3, 'a', 'b', 'c', 0x07, 0x03, 0x00, 0xA0, 0x1A, 0x00, 0xF2, 0xE0, 0x00),
                new byte[16], bytes(0xF0, 0x01, 0x0E), ABC);
        for (int i = 0; i < 20000; i++) {
            byte[] s = i % 2 == 0 ? Arrays.copyOf(base, base.length) : new byte[1 + r.nextInt(64)];
            if (i % 2 == 0) {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    s[r.nextInt(s.length)] = (byte) r.nextInt(256);
                }
            } else {
                r.nextBytes(s);
            }
            byte[] dst = new byte[r.nextInt(300)];
            try {
                int n = Lzvn.decode(s, 0, s.length, dst, 0, dst.length);
                assertEquals(true, n >= 0 && n <= dst.length);
            } catch (ParseException expected) {
                // fine: malformed input is reported, never a crash
            }
        }
    }
}
