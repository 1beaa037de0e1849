package io.vestige.codec;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.util.Objects;

/**
 * LZFSE decoder (block magics {@code bvx1}, {@code bvx2}, {@code bvxn}, {@code bvx-}, end {@code bvx$}),
 * used by APFS decmpfs types 11/12 and ULFO DMG chunks. Pure Java; validates every length.
 *
 * <p>Layout and algorithm follow FORMATS.md §8.1 and Apple's reference implementation
 * (lzfse/lzfse @e634ca58: {@code src/lzfse_internal.h}, {@code lzfse_decode_base.c},
 * {@code lzfse_fse.h/.c}): a v2 block header packs the v1 fields into three LE u64 words followed by
 * variable-length frequency tables; literals are FSE-coded in four interleaved states and read
 * backwards; L/M/D triplets are FSE-coded values (base + extra bits) read backwards from the end of
 * the LMD payload. D = 0 reuses the previous distance.
 */
public final class Lzfse {
    private Lzfse() {
    }

    static final int MAGIC_END = 0x24787662;   // "bvx$"
    static final int MAGIC_RAW = 0x2d787662;   // "bvx-"
    static final int MAGIC_V1 = 0x31787662;    // "bvx1"
    static final int MAGIC_V2 = 0x32787662;    // "bvx2"
    static final int MAGIC_LZVN = 0x6e787662;  // "bvxn"

    static final int L_SYMBOLS = 20;
    static final int M_SYMBOLS = 20;
    static final int D_SYMBOLS = 64;
    static final int LITERAL_SYMBOLS = 256;
    static final int L_STATES = 64;
    static final int M_STATES = 64;
    static final int D_STATES = 256;
    static final int LITERAL_STATES = 1024;
    static final int MATCHES_PER_BLOCK = 10000;
    static final int LITERALS_PER_BLOCK = 4 * MATCHES_PER_BLOCK;
    /** Size of a stored v1 header: 7 u32, s32, 4 u16, s32, 3 u16, 360 u16 frequencies, padded to 4. */
    static final int V1_HEADER_SIZE = 772;
    /** Fixed part of a v2 header (magic, n_raw_bytes, three packed u64). */
    static final int V2_FIXED_SIZE = 32;

    // Extra-bit counts and base values of the L, M and D symbols: data reproduced from Apple's
    // reference lzfse/lzfse src/lzfse_internal.h (l_extra_bits, l_base_value, m_extra_bits,
    // m_base_value, d_extra_bits, d_base_value) @e634ca58; the format is defined by them.
    private static final int[] L_EXTRA_BITS = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 5, 8};
    private static final int[] L_BASE = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 28, 60};
    private static final int[] M_EXTRA_BITS = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 8, 11};
    private static final int[] M_BASE = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 24, 56, 312};
    private static final int[] D_EXTRA_BITS = {
        0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
        4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7,
        8, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 11,
        12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15};
    private static final int[] D_BASE = {
        0, 1, 2, 3, 4, 6, 8, 10, 12, 16,
        20, 24, 28, 36, 44, 52, 60, 76, 92, 108,
        124, 156, 188, 220, 252, 316, 380, 444, 508, 636,
        764, 892, 1020, 1276, 1532, 1788, 2044, 2556, 3068, 3580,
        4092, 5116, 6140, 7164, 8188, 10236, 12284, 14332, 16380, 20476,
        24572, 28668, 32764, 40956, 49148, 57340, 65532, 81916, 98300, 114684,
        131068, 163836, 196604, 229372};

    // Prefix code of the v2 frequency tables, indexed by the next 5 input bits (LSB first): code
    // length and value; lengths 8 and 14 carry 4 and 10 payload bits above the 4-bit prefix.
    // Data reproduced from lzfse/lzfse src/lzfse_decode_base.c (lzfse_freq_nbits_table,
    // lzfse_freq_value_table) @e634ca58.
    private static final int[] FREQ_NBITS = {
        2, 3, 2, 5, 2, 3, 2, 8, 2, 3, 2, 5, 2, 3, 2, 14,
        2, 3, 2, 5, 2, 3, 2, 8, 2, 3, 2, 5, 2, 3, 2, 14};
    private static final int[] FREQ_VALUE = {
        0, 2, 1, 4, 0, 3, 1, -1, 0, 2, 1, 5, 0, 3, 1, -1,
        0, 2, 1, 6, 0, 3, 1, -1, 0, 2, 1, 7, 0, 3, 1, -1};

    /**
     * Decodes an LZFSE stream of {@code srcLen} bytes at {@code src[srcOff]} into
     * {@code dst[dstOff..dstOff+dstLen)}.
     *
     * @return the number of bytes written
     * @throws ParseException on a malformed stream or when the output would exceed {@code dstLen}
     */
    public static int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws ParseException {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        try {
            return new Decoder(src, srcOff, srcOff + srcLen, dst, dstOff, dstOff + dstLen).run();
        } catch (IndexOutOfBoundsException e) {
            // Every access is checked before it is made; this is a last line of defence so that a
            // missed case is still reported as malformed input rather than a crash.
            throw new MalformedException("LZFSE stream", -1, "inconsistent block (" + e.getMessage() + ")", e);
        }
    }

    private static final class Decoder {
        final byte[] src;
        final int base;
        final int send;
        final byte[] dst;
        final int dstBegin;
        final int dend;
        int sp;
        int dp;

        // one FSE backward bit stream at a time
        long accum;
        int accumBits;
        int buf;

        // decoder tables of the current block
        final int[] literalTable = new int[LITERAL_STATES];
        final ValueTable lTable = new ValueTable(L_STATES);
        final ValueTable mTable = new ValueTable(M_STATES);
        final ValueTable dTable = new ValueTable(D_STATES);
        byte[] literals;

        Decoder(byte[] src, int sp, int send, byte[] dst, int dp, int dend) {
            this.src = src;
            this.base = sp;
            this.sp = sp;
            this.send = send;
            this.dst = dst;
            this.dstBegin = dp;
            this.dp = dp;
            this.dend = dend;
        }

        int run() throws ParseException {
            while (true) {
                if (send - sp < 4) {
                    throw new TruncatedException("LZFSE block", sp - base, "stream ends without an end-of-stream block (bvx$)");
                }
                int magic = le32(sp);
                switch (magic) {
                    case MAGIC_END -> {
                        return dp - dstBegin;
                    }
                    case MAGIC_RAW -> rawBlock();
                    case MAGIC_LZVN -> lzvnBlock();
                    case MAGIC_V1, MAGIC_V2 -> fseBlock(magic);
                    default -> throw new BadMagicException("LZFSE block", sp - base, "bvx$/bvx-/bvx1/bvx2/bvxn",
                            String.format("0x%08x", magic));
                }
            }
        }

        private void rawBlock() throws ParseException {
            if (send - sp < 8) {
                throw new TruncatedException("LZFSE bvx- header", sp - base, 8, send - sp);
            }
            long n = Integer.toUnsignedLong(le32(sp + 4));
            sp += 8;
            if (n > send - sp) {
                throw new TruncatedException("LZFSE bvx- payload", sp - base, n, send - sp);
            }
            if (n > dend - dp) {
                throw overflow(sp - 8);
            }
            System.arraycopy(src, sp, dst, dp, (int) n);
            sp += (int) n;
            dp += (int) n;
        }

        private void lzvnBlock() throws ParseException {
            if (send - sp < 12) {
                throw new TruncatedException("LZFSE bvxn header", sp - base, 12, send - sp);
            }
            int at = sp;
            long nRaw = Integer.toUnsignedLong(le32(sp + 4));
            long nPayload = Integer.toUnsignedLong(le32(sp + 8));
            sp += 12;
            if (nPayload > send - sp) {
                throw new TruncatedException("LZFSE bvxn payload", sp - base, nPayload, send - sp);
            }
            if (nRaw > dend - dp) {
                throw overflow(at);
            }
            Lzvn.State st = new Lzvn.State();
            int payloadEnd = sp + (int) nPayload;
            Lzvn.run(src, base, sp, payloadEnd, dst, dstBegin, dp, dp + (int) nRaw, false, st);
            if (!st.endOfStream || st.sp != payloadEnd || st.dp != dp + (int) nRaw) {
                throw new MalformedException("LZFSE bvxn block", at - base, "LZVN payload decodes to "
                        + (st.dp - dp) + " bytes from " + (st.sp - sp) + " bytes; header says " + nRaw + " from " + nPayload);
            }
            sp = payloadEnd;
            dp = st.dp;
        }

        private void fseBlock(int magic) throws ParseException {
            final int at = sp;
            final int headerSize;
            long nLiterals;
            long nMatches;
            long nLiteralPayload;
            long nLmdPayload;
            int literalBits;
            int lmdBits;
            int[] literalState = new int[4];
            int lState;
            int mState;
            int dState;
            int[] freq = new int[L_SYMBOLS + M_SYMBOLS + D_SYMBOLS + LITERAL_SYMBOLS];
            if (magic == MAGIC_V2) {
                if (send - sp < V2_FIXED_SIZE) {
                    throw new TruncatedException("LZFSE bvx2 header", sp - base, V2_FIXED_SIZE, send - sp);
                }
                long v0 = le64(sp + 8);
                long v1 = le64(sp + 16);
                long v2 = le64(sp + 24);
                long hs = v2 & 0xffffffffL;
                if (hs < V2_FIXED_SIZE || hs > send - sp) {
                    throw new TruncatedException("LZFSE bvx2 header", sp - base,
                            "header size " + hs + " outside [32, " + (send - sp) + "]");
                }
                headerSize = (int) hs;
                nLiterals = field(v0, 0, 20);
                nLiteralPayload = field(v0, 20, 20);
                nMatches = field(v0, 40, 20);
                literalBits = (int) field(v0, 60, 3) - 7;
                for (int i = 0; i < 4; i++) {
                    literalState[i] = (int) field(v1, 10 * i, 10);
                }
                nLmdPayload = field(v1, 40, 20);
                lmdBits = (int) field(v1, 60, 3) - 7;
                lState = (int) field(v2, 32, 10);
                mState = (int) field(v2, 42, 10);
                dState = (int) field(v2, 52, 10);
                if (headerSize > V2_FIXED_SIZE) {
                    decodeFrequencies(sp + V2_FIXED_SIZE, sp + headerSize, freq);
                }
            } else {
                if (send - sp < V1_HEADER_SIZE) {
                    throw new TruncatedException("LZFSE bvx1 header", sp - base, V1_HEADER_SIZE, send - sp);
                }
                headerSize = V1_HEADER_SIZE;
                nLiterals = Integer.toUnsignedLong(le32(sp + 12));
                nMatches = Integer.toUnsignedLong(le32(sp + 16));
                nLiteralPayload = Integer.toUnsignedLong(le32(sp + 20));
                nLmdPayload = Integer.toUnsignedLong(le32(sp + 24));
                literalBits = le32(sp + 28);
                for (int i = 0; i < 4; i++) {
                    literalState[i] = le16(sp + 32 + 2 * i);
                }
                lmdBits = le32(sp + 40);
                lState = le16(sp + 44);
                mState = le16(sp + 46);
                dState = le16(sp + 48);
                for (int i = 0; i < freq.length; i++) {
                    freq[i] = le16(sp + 50 + 2 * i);
                }
            }
            // the checks of lzfse_check_block_header_v1
            if (nLiterals > LITERALS_PER_BLOCK || nMatches > MATCHES_PER_BLOCK) {
                throw new MalformedException("LZFSE block header", at - base, "n_literals " + nLiterals
                        + " / n_matches " + nMatches + " exceed the per-block maximum " + LITERALS_PER_BLOCK + " / " + MATCHES_PER_BLOCK);
            }
            for (int s : literalState) {
                if (s >= LITERAL_STATES) {
                    throw MalformedException.expected("LZFSE block header", at - base, "literal state", "< 1024", s);
                }
            }
            if (lState >= L_STATES || mState >= M_STATES || dState >= D_STATES) {
                throw new MalformedException("LZFSE block header", at - base, "L/M/D state out of range: "
                        + lState + "/" + mState + "/" + dState);
            }
            long available = send - sp;
            if (headerSize + nLiteralPayload + nLmdPayload > available) {
                throw new TruncatedException("LZFSE block payload", at - base, headerSize + nLiteralPayload + nLmdPayload, available);
            }
            checkFreq(freq, 0, L_SYMBOLS, L_STATES, at);
            checkFreq(freq, L_SYMBOLS, M_SYMBOLS, M_STATES, at);
            checkFreq(freq, L_SYMBOLS + M_SYMBOLS, D_SYMBOLS, D_STATES, at);
            checkFreq(freq, L_SYMBOLS + M_SYMBOLS + D_SYMBOLS, LITERAL_SYMBOLS, LITERAL_STATES, at);

            initLiteralTable(freq, L_SYMBOLS + M_SYMBOLS + D_SYMBOLS);
            lTable.init(freq, 0, L_SYMBOLS, L_EXTRA_BITS, L_BASE);
            mTable.init(freq, L_SYMBOLS, M_SYMBOLS, M_EXTRA_BITS, M_BASE);
            dTable.init(freq, L_SYMBOLS + M_SYMBOLS, D_SYMBOLS, D_EXTRA_BITS, D_BASE);

            // literals: read backwards from the end of the literal payload; like the reference, the
            // bit reader may look at bytes before the payload (the header), never before the stream.
            int litEnd = sp + headerSize + (int) nLiteralPayload;
            int nLit = (int) nLiterals;
            int nLitRounded = (nLit + 3) & ~3;
            literals = new byte[nLitRounded];
            initStream(literalBits, litEnd, base, at, "literal");
            int s0 = literalState[0];
            int s1 = literalState[1];
            int s2 = literalState[2];
            int s3 = literalState[3];
            for (int i = 0; i < nLit; i += 4) {
                flush(base, at);
                int e = literalTable[s0];
                literals[i] = (byte) (e >>> 8);
                s0 = (e >> 16) + (int) pull(e & 0xff);
                e = literalTable[s1];
                literals[i + 1] = (byte) (e >>> 8);
                s1 = (e >> 16) + (int) pull(e & 0xff);
                e = literalTable[s2];
                literals[i + 2] = (byte) (e >>> 8);
                s2 = (e >> 16) + (int) pull(e & 0xff);
                e = literalTable[s3];
                literals[i + 3] = (byte) (e >>> 8);
                s3 = (e >> 16) + (int) pull(e & 0xff);
            }

            // L, M, D triplets: read backwards from the end of the LMD payload, not before its start
            int lmdStart = litEnd;
            int lmdEnd = lmdStart + (int) nLmdPayload;
            initStream(lmdBits, lmdEnd, lmdStart, at, "LMD");
            int lit = 0;
            int d = -1;
            long symbols = nMatches;
            int ls = lState;
            int ms = mState;
            int ds = dState;
            while (symbols-- > 0) {
                flush(lmdStart, at);
                long bits = pull(lTable.totalBits[ls]);
                int l = lTable.vbase[ls] + (int) (bits & mask(lTable.valueBits[ls]));
                ls = lTable.delta[ls] + (int) (bits >>> lTable.valueBits[ls]);
                bits = pull(mTable.totalBits[ms]);
                int m = mTable.vbase[ms] + (int) (bits & mask(mTable.valueBits[ms]));
                ms = mTable.delta[ms] + (int) (bits >>> mTable.valueBits[ms]);
                bits = pull(dTable.totalBits[ds]);
                int newD = dTable.vbase[ds] + (int) (bits & mask(dTable.valueBits[ds]));
                ds = dTable.delta[ds] + (int) (bits >>> dTable.valueBits[ds]);
                if (newD != 0) {
                    d = newD;
                }
                if (l > nLitRounded - lit) {
                    throw new MalformedException("LZFSE LMD", at - base, "literal run of " + l
                            + " exceeds the " + (nLitRounded - lit) + " literals left in the block");
                }
                if (d < 0 || d > dp + l - dstBegin) {
                    throw MalformedException.expected("LZFSE LMD", at - base, "match distance",
                            "1.." + (dp + l - dstBegin), d);
                }
                if ((long) l + m > dend - dp) {
                    throw overflow(at);
                }
                System.arraycopy(literals, lit, dst, dp, l);
                lit += l;
                dp += l;
                if (m > 0) {
                    if (d == 0) {
                        throw MalformedException.expected("LZFSE LMD", at - base, "match distance", ">= 1", 0);
                    }
                    Adc.copyMatch(dst, dp, d, m);
                    dp += m;
                }
            }
            sp = lmdEnd;
        }

        private void decodeFrequencies(int p, int end, int[] freq) throws ParseException {
            int at = p;
            long acc = 0;
            int accBits = 0;
            for (int i = 0; i < freq.length; i++) {
                while (p < end && accBits + 8 <= 32) {
                    acc |= (long) (src[p] & 0xff) << accBits;
                    accBits += 8;
                    p++;
                }
                int b = (int) (acc & 31);
                int n = FREQ_NBITS[b];
                int v;
                if (n == 8) {
                    v = 8 + (int) ((acc >>> 4) & 0xf);
                } else if (n == 14) {
                    v = 24 + (int) ((acc >>> 4) & 0x3ff);
                } else {
                    v = FREQ_VALUE[b];
                }
                if (n > accBits) {
                    throw new TruncatedException("LZFSE bvx2 frequency table", at - base,
                            "table ends after " + i + " of " + freq.length + " values");
                }
                freq[i] = v;
                acc >>>= n;
                accBits -= n;
            }
            if (accBits >= 8 || p != end) {
                throw new MalformedException("LZFSE bvx2 frequency table", at - base,
                        "frequency table does not end at the stated header size");
            }
        }

        private void checkFreq(int[] freq, int from, int n, int states, int at) throws ParseException {
            long sum = 0;
            for (int i = from; i < from + n; i++) {
                sum += freq[i];
            }
            if (sum > states) {
                throw MalformedException.expected("LZFSE frequency table", at - base, "sum of frequencies", "<= " + states, sum);
            }
        }

        /** Literal decoder entries packed as k (bits 0..7), symbol (8..15), signed delta (16..31). */
        private void initLiteralTable(int[] freq, int from) {
            java.util.Arrays.fill(literalTable, 0);
            int nStates = LITERAL_STATES;
            int nClz = Integer.numberOfLeadingZeros(nStates);
            int t = 0;
            for (int sym = 0; sym < LITERAL_SYMBOLS; sym++) {
                int f = freq[from + sym];
                if (f == 0) {
                    continue;
                }
                int k = Integer.numberOfLeadingZeros(f) - nClz;
                int j0 = ((2 * nStates) >>> k) - f;
                for (int j = 0; j < f; j++) {
                    int kk;
                    int delta;
                    if (j < j0) {
                        kk = k;
                        delta = ((f + j) << k) - nStates;
                    } else {
                        kk = k - 1;
                        delta = (j - j0) << (k - 1);
                    }
                    literalTable[t++] = (kk & 0xff) | sym << 8 | delta << 16;
                }
            }
        }

        private void initStream(int nBits, int end, int start, int at, String what) throws ParseException {
            if (nBits != 0) {
                if (end - start < 8) {
                    throw new TruncatedException("LZFSE " + what + " stream", at - base, 8, end - start);
                }
                buf = end - 8;
                accum = le64(buf);
                accumBits = nBits + 64;
            } else {
                if (end - start < 7) {
                    throw new TruncatedException("LZFSE " + what + " stream", at - base, 7, end - start);
                }
                buf = end - 7;
                accum = le64partial(buf, 7);
                accumBits = 56;
            }
            if (accumBits < 56 || accumBits >= 64 || (accum >>> accumBits) != 0) {
                throw new MalformedException("LZFSE " + what + " stream", at - base,
                        "bad initial bit count " + nBits + " or non-zero padding bits");
            }
        }

        private void flush(int start, int at) throws ParseException {
            int nb = (63 - accumBits) & -8;
            int nBytes = nb >>> 3;
            if (buf - nBytes < start) {
                throw new TruncatedException("LZFSE bit stream", at - base, "reads before the start of its payload");
            }
            buf -= nBytes;
            if (nBytes > 0) {
                accum = (accum << nb) | le64partial(buf, nBytes);
                accumBits += nb;
            }
        }

        private long pull(int n) throws ParseException {
            if (n > accumBits) {
                throw new MalformedException("LZFSE bit stream", -1, "bit stream exhausted");
            }
            accumBits -= n;
            long r = accum >>> accumBits;
            accum &= mask(accumBits);
            return r;
        }

        private int le16(int p) {
            return (src[p] & 0xff) | (src[p + 1] & 0xff) << 8;
        }

        private int le32(int p) {
            return (src[p] & 0xff) | (src[p + 1] & 0xff) << 8 | (src[p + 2] & 0xff) << 16 | (src[p + 3] & 0xff) << 24;
        }

        private long le64(int p) {
            return Integer.toUnsignedLong(le32(p)) | (long) le32(p + 4) << 32;
        }

        private long le64partial(int p, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (src[p + i] & 0xff) << (8 * i);
            }
            return v;
        }

        private ParseException overflow(int at) {
            return new MalformedException("LZFSE stream", at - base, "decoded data exceeds the expected "
                    + (dend - dstBegin) + " bytes");
        }
    }

    /** FSE value decoder table: per state total bits, extra value bits, next-state base, value base. */
    private static final class ValueTable {
        final int[] totalBits;
        final int[] valueBits;
        final int[] delta;
        final int[] vbase;
        final int nStates;

        ValueTable(int nStates) {
            this.nStates = nStates;
            totalBits = new int[nStates];
            valueBits = new int[nStates];
            delta = new int[nStates];
            vbase = new int[nStates];
        }

        void init(int[] freq, int from, int nSymbols, int[] extraBits, int[] baseValue) {
            java.util.Arrays.fill(totalBits, 0);
            java.util.Arrays.fill(valueBits, 0);
            java.util.Arrays.fill(delta, 0);
            java.util.Arrays.fill(vbase, 0);
            int nClz = Integer.numberOfLeadingZeros(nStates);
            int t = 0;
            for (int sym = 0; sym < nSymbols; sym++) {
                int f = freq[from + sym];
                if (f == 0) {
                    continue;
                }
                int k = Integer.numberOfLeadingZeros(f) - nClz;
                int j0 = ((2 * nStates) >>> k) - f;
                for (int j = 0; j < f; j++) {
                    valueBits[t] = extraBits[sym];
                    vbase[t] = baseValue[sym];
                    if (j < j0) {
                        totalBits[t] = k + extraBits[sym];
                        delta[t] = ((f + j) << k) - nStates;
                    } else {
                        totalBits[t] = k - 1 + extraBits[sym];
                        delta[t] = (j - j0) << (k - 1);
                    }
                    t++;
                }
            }
        }
    }

    private static long field(long v, int offset, int bits) {
        return (v >>> offset) & ((1L << bits) - 1);
    }

    private static long mask(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }
}
