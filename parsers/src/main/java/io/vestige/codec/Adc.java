package io.vestige.codec;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.util.Objects;

/**
 * Apple Data Compression (ADC), the LZ77 variant of old UDIF {@code 0x80000004} chunks. Each control
 * byte {@code c} selects: {@code c & 0x80} a run of {@code (c & 0x7f) + 1} literals; {@code c & 0x40} a
 * 3-byte match of length {@code (c & 0x3f) + 4} at big-endian distance {@code + 1}; otherwise a 2-byte
 * match of length {@code ((c >> 2) & 0xf) + 3} at distance {@code ((c & 3) << 8 | next) + 1}. Matches may
 * overlap their output. Reference: FORMATS.md §2.2 (apfs-fuse {@code Util.cpp}).
 */
public final class Adc {
    private Adc() {
    }

    /**
     * Decodes {@code srcLen} bytes of ADC at {@code src[srcOff]} into {@code dst[dstOff..dstOff+dstLen)}.
     *
     * @return the number of bytes written
     * @throws ParseException on a truncated operation, a distance before the start of the output, or
     *                        output that would exceed {@code dstLen}
     */
    public static int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws ParseException {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        int sp = srcOff;
        final int send = srcOff + srcLen;
        int dp = dstOff;
        final int dend = dstOff + dstLen;
        while (sp < send) {
            int c = src[sp] & 0xff;
            if ((c & 0x80) != 0) {
                int n = (c & 0x7f) + 1;
                if (send - sp - 1 < n) {
                    throw new TruncatedException("ADC literal run", sp - srcOff, n + 1, send - sp);
                }
                if (dend - dp < n) {
                    throw overflow(sp - srcOff, dstLen);
                }
                System.arraycopy(src, sp + 1, dst, dp, n);
                sp += n + 1;
                dp += n;
                continue;
            }
            int len;
            int dist;
            if ((c & 0x40) != 0) {
                if (send - sp < 3) {
                    throw new TruncatedException("ADC match", sp - srcOff, 3, send - sp);
                }
                len = (c & 0x3f) + 4;
                dist = ((src[sp + 1] & 0xff) << 8 | (src[sp + 2] & 0xff)) + 1;
                sp += 3;
            } else {
                if (send - sp < 2) {
                    throw new TruncatedException("ADC match", sp - srcOff, 2, send - sp);
                }
                len = ((c >> 2) & 0xf) + 3;
                dist = ((c & 3) << 8 | (src[sp + 1] & 0xff)) + 1;
                sp += 2;
            }
            if (dist > dp - dstOff) {
                throw MalformedException.expected("ADC match", sp - srcOff, "distance",
                        "<= " + (dp - dstOff), dist);
            }
            if (dend - dp < len) {
                throw overflow(sp - srcOff, dstLen);
            }
            copyMatch(dst, dp, dist, len);
            dp += len;
        }
        return dp - dstOff;
    }

    static void copyMatch(byte[] dst, int dp, int dist, int len) {
        if (dist >= len) {
            System.arraycopy(dst, dp - dist, dst, dp, len);
        } else {
            for (int i = 0; i < len; i++) {
                dst[dp + i] = dst[dp + i - dist];
            }
        }
    }

    private static ParseException overflow(int at, int dstLen) {
        return new MalformedException("ADC stream", at, "decoded data exceeds the expected " + dstLen + " bytes");
    }
}
