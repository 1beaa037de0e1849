package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decompression of a chunkset chunk (tag 0x600d): a run of {@code bv41} blocks {u32 raw size, u32
 * compressed size, LZ4 block}, {@code bv4-} stored blocks {u32 size, bytes}, ended by {@code bv4$}
 * (FORMATS §6.2). LZ4 blocks after the first may refer back into the previous blocks' output (a
 * streaming prefix), which lz4-java's block API does not allow; those are decoded by a small
 * prefix-aware decoder.
 */
final class Chunkset {
    static final int TAG = 0x600d;
    static final int BV41 = 0x31347662;
    static final int BV4_STORED = 0x2d347662;
    static final int BV4_END = 0x24347662;

    private static final LZ4SafeDecompressor LZ4 = decompressor();

    private static LZ4SafeDecompressor decompressor() {
        try {
            return LZ4Factory.fastestJavaInstance().safeDecompressor();
        } catch (Throwable t) {
            return LZ4Factory.safeInstance().safeDecompressor();
        }
    }

    private Chunkset() {
    }

    /** Decompresses the chunkset whose data lies in {@code c[from, to)}; {@code base} = absolute offset of {@code c[0]}. */
    static byte[] decompress(byte[] c, int from, int to, long base, ParseLimits limits)
            throws TruncatedException, MalformedException, LimitExceededException {
        // first pass: total raw size
        long total = 0;
        int o = from;
        while (true) {
            if (o + 4 > to) {
                throw new TruncatedException("tracev3 chunkset", base + o, "no bv4$ end marker before the chunk end");
            }
            int sig = le32(c, o);
            if (sig == BV4_END) {
                break;
            }
            if (sig == BV41) {
                if (o + 12 > to) {
                    throw new TruncatedException("tracev3 chunkset bv41 block", base + o, 12, to - o);
                }
                long raw = Integer.toUnsignedLong(le32(c, o + 4));
                long comp = Integer.toUnsignedLong(le32(c, o + 8));
                if (comp > to - (o + 12L)) {
                    throw new TruncatedException("tracev3 chunkset bv41 block", base + o, comp, to - (o + 12L));
                }
                total += raw;
                o += 12 + (int) comp;
            } else if (sig == BV4_STORED) {
                if (o + 8 > to) {
                    throw new TruncatedException("tracev3 chunkset bv4- block", base + o, 8, to - o);
                }
                long raw = Integer.toUnsignedLong(le32(c, o + 4));
                if (raw > to - (o + 8L)) {
                    throw new TruncatedException("tracev3 chunkset bv4- block", base + o, raw, to - (o + 8L));
                }
                total += raw;
                o += 8 + (int) raw;
            } else {
                throw MalformedException.expected("tracev3 chunkset", base + o, "block signature", "bv41/bv4-/bv4$",
                        String.format("0x%08x", sig));
            }
            limits.check("maxChunkSize", total, "tracev3 chunkset", base + from);
        }
        byte[] out = new byte[(int) total];
        int w = 0;
        o = from;
        while (true) {
            int sig = le32(c, o);
            if (sig == BV4_END) {
                break;
            }
            if (sig == BV41) {
                int raw = le32(c, o + 4);
                int comp = le32(c, o + 8);
                int n;
                try {
                    if (w == 0) {
                        n = LZ4.decompress(c, o + 12, comp, out, w, raw);
                    } else {
                        n = decodeWithPrefix(c, o + 12, comp, out, w, w + raw);
                    }
                } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
                    throw new MalformedException("tracev3 chunkset LZ4 block", base + o, "bad LZ4 data: " + e.getMessage());
                }
                if (n != raw) {
                    throw MalformedException.expected("tracev3 chunkset LZ4 block", base + o, "decompressed size", raw, n);
                }
                w += raw;
                o += 12 + comp;
            } else {
                int raw = le32(c, o + 4);
                System.arraycopy(c, o + 8, out, w, raw);
                w += raw;
                o += 8 + raw;
            }
        }
        return out;
    }

    /**
     * Decodes one LZ4 block into {@code dst[dOff, dEnd)}; matches may reach back before {@code dOff}
     * into earlier output. Returns the bytes written. Every read and write is bounds-checked.
     */
    static int decodeWithPrefix(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int dEnd) {
        int s = sOff;
        int sEnd = sOff + sLen;
        int d = dOff;
        while (s < sEnd) {
            int token = src[s++] & 0xff;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (s >= sEnd) {
                        throw new LZ4Exception("literal length runs past the block");
                    }
                    b = src[s++] & 0xff;
                    lit += b;
                } while (b == 255);
            }
            if (lit > sEnd - s || lit > dEnd - d) {
                throw new LZ4Exception("literals run past the block or output");
            }
            System.arraycopy(src, s, dst, d, lit);
            s += lit;
            d += lit;
            if (s >= sEnd) {
                break; // last sequence has literals only
            }
            if (s + 2 > sEnd) {
                throw new LZ4Exception("truncated match offset");
            }
            int off = (src[s] & 0xff) | (src[s + 1] & 0xff) << 8;
            s += 2;
            if (off == 0 || off > d) {
                throw new LZ4Exception("match offset " + off + " outside the output");
            }
            int ml = (token & 0xf) + 4;
            if ((token & 0xf) == 15) {
                int b;
                do {
                    if (s >= sEnd) {
                        throw new LZ4Exception("match length runs past the block");
                    }
                    b = src[s++] & 0xff;
                    ml += b;
                } while (b == 255);
            }
            if (ml > dEnd - d) {
                throw new LZ4Exception("match runs past the output");
            }
            int from = d - off;
            for (int k = 0; k < ml; k++) {
                dst[d++] = dst[from + k];
            }
        }
        return d - dOff;
    }

    static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }
}
