package io.vestige.codec;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.util.Objects;

/**
 * LZVN decoder (Apple's fast LZ codec used inside LZFSE {@code bvxn} blocks, APFS decmpfs types 7/8
 * and DMG chunks). Pure Java; validates every length and never reads or writes out of bounds.
 * Opcode layout from FORMATS.md §8.2, checked against Apple's reference decoder
 * (lzfse/lzfse {@code src/lzvn_decode_base.c} @e634ca58).
 */
public final class Lzvn {
    private Lzvn() {
    }

    // Opcode classes; the table is computed from the bit patterns of FORMATS.md §8.2.
    private static final byte SML_D = 0;
    private static final byte MED_D = 1;
    private static final byte LRG_D = 2;
    private static final byte PRE_D = 3;
    private static final byte SML_L = 4;
    private static final byte LRG_L = 5;
    private static final byte SML_M = 6;
    private static final byte LRG_M = 7;
    private static final byte NOP = 8;
    private static final byte EOS = 9;
    private static final byte UDEF = 10;
    private static final byte[] KIND = new byte[256];

    static {
        for (int op = 0; op < 256; op++) {
            byte k;
            if (op == 0xE0) {
                k = LRG_L;
            } else if (op > 0xE0 && op <= 0xEF) {
                k = SML_L;
            } else if (op == 0xF0) {
                k = LRG_M;
            } else if (op > 0xF0) {
                k = SML_M;
            } else if (op >= 0xA0 && op <= 0xBF) {
                k = MED_D;
            } else if ((op >= 0x70 && op <= 0x7F) || (op >= 0xD0 && op <= 0xDF)) {
                k = UDEF;
            } else if ((op & 7) == 7) {
                k = LRG_D;
            } else if ((op & 7) == 6) {
                if (op == 0x06) {
                    k = EOS;
                } else if (op == 0x0E || op == 0x16) {
                    k = NOP;
                } else if (op < 0x40) {
                    k = UDEF;
                } else {
                    k = PRE_D;
                }
            } else {
                k = SML_D;
            }
            KIND[op] = k;
        }
    }

    /**
     * Decodes {@code srcLen} bytes of LZVN at {@code src[srcOff]} into {@code dst[dstOff..dstOff+dstLen)}.
     *
     * @return the number of bytes written (the stream ends at its end-of-stream opcode or when dst is full)
     * @throws ParseException on a malformed stream (names the input offset)
     */
    public static int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws ParseException {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        State st = new State();
        run(src, srcOff, srcOff, srcOff + srcLen, dst, dstOff, dstOff, dstOff + dstLen, true, st);
        return st.dp - dstOff;
    }

    /** Where a run stopped. */
    static final class State {
        int sp;
        int dp;
        boolean endOfStream;
    }

    /**
     * Runs the decoder over {@code src[sp..send)} writing at {@code dst[dp..dend)}; matches may reach back
     * to {@code dstBegin}. When {@code stopWhenFull} the run ends quietly once dst is full (Apple's buffer
     * API behaves so); otherwise output beyond {@code dend} is an error (an LZFSE block that lies about
     * its size). {@code base} is subtracted from offsets in messages.
     */
    static void run(byte[] src, int base, int sp, int send, byte[] dst, int dstBegin, int dp, int dend,
                    boolean stopWhenFull, State st) throws ParseException {
        int d = 0;
        while (true) {
            if (dp == dend && stopWhenFull) {
                st.sp = sp;
                st.dp = dp;
                st.endOfStream = false;
                return;
            }
            if (sp >= send) {
                throw new TruncatedException("LZVN stream", sp - base, "input ends before the end-of-stream opcode");
            }
            int op = src[sp] & 0xff;
            int opLen;
            int lit = 0;
            int match = 0;
            switch (KIND[op]) {
                case SML_D -> {
                    opLen = 2;
                    need(send, sp, opLen, base);
                    lit = op >>> 6;
                    match = ((op >>> 3) & 7) + 3;
                    d = (op & 7) << 8 | (src[sp + 1] & 0xff);
                    if (d == 0) {
                        throw badDistance(sp - base, 0, dp - dstBegin);
                    }
                }
                case MED_D -> {
                    opLen = 3;
                    need(send, sp, opLen, base);
                    int w = (src[sp + 1] & 0xff) | (src[sp + 2] & 0xff) << 8;
                    lit = (op >>> 3) & 3;
                    match = ((op & 7) << 2 | (w & 3)) + 3;
                    d = w >>> 2;
                    if (d == 0) {
                        throw badDistance(sp - base, 0, dp - dstBegin);
                    }
                }
                case LRG_D -> {
                    opLen = 3;
                    need(send, sp, opLen, base);
                    lit = op >>> 6;
                    match = ((op >>> 3) & 7) + 3;
                    d = (src[sp + 1] & 0xff) | (src[sp + 2] & 0xff) << 8;
                    if (d == 0) {
                        throw badDistance(sp - base, 0, dp - dstBegin);
                    }
                }
                case PRE_D -> {
                    opLen = 1;
                    lit = op >>> 6;
                    match = ((op >>> 3) & 7) + 3;
                }
                case SML_L -> {
                    opLen = 1;
                    lit = op & 0xf;
                }
                case LRG_L -> {
                    opLen = 2;
                    need(send, sp, opLen, base);
                    lit = (src[sp + 1] & 0xff) + 16;
                }
                case SML_M -> {
                    opLen = 1;
                    match = op & 0xf;
                }
                case LRG_M -> {
                    opLen = 2;
                    need(send, sp, opLen, base);
                    match = (src[sp + 1] & 0xff) + 16;
                }
                case NOP -> opLen = 1;
                case EOS -> {
                    need(send, sp, 8, base);
                    st.sp = sp + 8;
                    st.dp = dp;
                    st.endOfStream = true;
                    return;
                }
                default -> throw new MalformedException("LZVN stream", sp - base,
                        "undefined opcode 0x" + Integer.toHexString(op));
            }
            if (send - sp - opLen < lit) {
                throw new TruncatedException("LZVN literal", sp - base, (long) opLen + lit, send - sp);
            }
            sp += opLen;
            if (lit > 0) {
                if (dend - dp < lit) {
                    if (!stopWhenFull) {
                        throw overflow(sp - base, dend);
                    }
                    System.arraycopy(src, sp, dst, dp, dend - dp);
                    st.sp = sp + (dend - dp);
                    st.dp = dend;
                    return;
                }
                System.arraycopy(src, sp, dst, dp, lit);
                sp += lit;
                dp += lit;
            }
            if (match > 0) {
                if (d <= 0 || d > dp - dstBegin) {
                    throw badDistance(sp - base, d, dp - dstBegin);
                }
                int n = match;
                if (dend - dp < match) {
                    if (!stopWhenFull) {
                        throw overflow(sp - base, dend);
                    }
                    n = dend - dp;
                }
                Adc.copyMatch(dst, dp, d, n);
                dp += n;
                if (n < match) {
                    st.sp = sp;
                    st.dp = dp;
                    return;
                }
            }
        }
    }

    private static void need(int send, int sp, int n, int base) throws TruncatedException {
        if (send - sp < n) {
            throw new TruncatedException("LZVN opcode", sp - base, n, send - sp);
        }
    }

    private static ParseException badDistance(int at, int d, int written) {
        return MalformedException.expected("LZVN match", at, "distance", "1.." + written, d);
    }

    private static ParseException overflow(int at, int dend) {
        return new MalformedException("LZVN stream", at, "decoded data exceeds the block's stated size");
    }
}
