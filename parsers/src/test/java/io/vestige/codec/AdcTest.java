package io.vestige.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Vectors assembled by hand from the ADC rules of FORMATS.md §2.2. */
class AdcTest {
    static String decode(byte[] src, int dstLen) throws ParseException {
        byte[] dst = new byte[dstLen];
        int n = Adc.decode(src, 0, src.length, dst, 0, dst.length);
        return new String(dst, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void literalsTwoAndThreeByteMatches() throws Exception {
        // 0x82 "abc" (3 literals); 0x0C 0x02: len ((0x0C>>2)&15)+3 = 6, dist 2+1 = 3;
        // 0x41 0x00 0x08: len (0x41&0x3f)+4 = 5, dist 8+1 = 9
        byte[] s = {(byte) 0x82, 'a', 'b', 'c', 0x0C, 0x02, 0x41, 0x00, 0x08};
        assertEquals("abcabcabcabcab", decode(s, 14));
    }

    @Test
    void errors() {
        assertThrows(MalformedException.class, () -> decode(new byte[] {(byte) 0x80, 'a', 0x0C, 0x05}, 64)); // distance 6 > 1
        assertThrows(TruncatedException.class, () -> decode(new byte[] {(byte) 0x85, 'a'}, 64));
        assertThrows(TruncatedException.class, () -> decode(new byte[] {(byte) 0x80, 'a', 0x41, 0x00}, 64));
        assertThrows(MalformedException.class, () -> decode(new byte[] {(byte) 0x83, 'a', 'b', 'c', 'd'}, 3)); // overflow
    }

    @Test
    void randomInputOnlyEverThrowsParseExceptions() {
        Random r = new Random(11);
        for (int i = 0; i < 20000; i++) {
            byte[] s = new byte[1 + r.nextInt(80)];
            r.nextBytes(s);
            byte[] dst = new byte[r.nextInt(400)];
            try {
                Adc.decode(s, 0, s.length, dst, 0, dst.length);
            } catch (ParseException expected) {
                // reported, not crashed
            }
        }
    }
}
