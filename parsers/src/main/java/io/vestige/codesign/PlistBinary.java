package io.vestige.codesign;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader for binary property lists ({@code bplist00}): 32-byte trailer (offset int size,
 * object ref size, object count, top object, offset table offset, all big-endian), offset table,
 * and marker-typed objects. Bounded: nesting depth, and the total number of values produced (a
 * shared sub-tree referenced many times cannot explode). Values map as in {@link PlistXml}.
 * To be replaced by the shared {@code io.vestige.format.plist}.
 */
final class PlistBinary {
    private static final int MAX_DEPTH = 64;
    private static final int MAX_VALUES = 1 << 20;
    private static final long MAC_EPOCH = 978307200L; // 2001-01-01T00:00:00Z

    private final byte[] b;
    private final String what;
    private final int offsetSize;
    private final int refSize;
    private final long count;
    private final long tableOffset;
    private int produced;

    private PlistBinary(byte[] b, String what) throws ParseException {
        this.b = b;
        this.what = what;
        if (b.length < 8 + 32) {
            throw new MalformedException(what, 0, "binary plist shorter than header and trailer");
        }
        int t = b.length - 32;
        offsetSize = b[t + 6] & 0xff;
        refSize = b[t + 7] & 0xff;
        count = be(t + 8, 8);
        tableOffset = be(t + 24, 8);
        if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8 || count < 1 || count > b.length
                || tableOffset < 8 || tableOffset > t || count * offsetSize > t - tableOffset) {
            throw new MalformedException(what, t, "binary plist trailer is inconsistent (offset size " + offsetSize
                    + ", ref size " + refSize + ", " + count + " objects, table at " + tableOffset + ")");
        }
    }

    static Object parse(byte[] b, String what) throws ParseException {
        PlistBinary p = new PlistBinary(b, what);
        long top = p.be(b.length - 32 + 16, 8);
        return p.object(top, 0);
    }

    private long be(int off, int n) throws ParseException {
        if (off < 0 || off + n > b.length) {
            throw new MalformedException(what, off, "read beyond the end of the binary plist");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private Object object(long ref, int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException(what, -1, "binary plist nested deeper than " + MAX_DEPTH + " (or cyclic)");
        }
        if (++produced > MAX_VALUES) {
            throw new MalformedException(what, -1, "binary plist expands to more than " + MAX_VALUES + " values");
        }
        if (ref < 0 || ref >= count) {
            throw new MalformedException(what, -1, "object reference " + ref + " outside " + count + " objects");
        }
        long off = be((int) (tableOffset + ref * offsetSize), offsetSize);
        if (off < 8 || off >= tableOffset) {
            throw new MalformedException(what, -1, "object offset " + off + " outside the object area");
        }
        int o = (int) off;
        int marker = b[o] & 0xff;
        int type = marker >> 4;
        int low = marker & 0xf;
        switch (type) {
            case 0x0:
                if (low == 8 || low == 9) {
                    return low == 9;
                }
                return null;
            case 0x1: {
                int n = 1 << low;
                if (n > 16) {
                    throw new MalformedException(what, o, "integer of " + n + " bytes");
                }
                if (n == 16) {
                    return new BigInteger(java.util.Arrays.copyOfRange(b, o + 1, checkEnd(o + 1, 16)));
                }
                // 1-, 2- and 4-byte ints are unsigned, 8-byte ints signed: both fit a long as read
                return be(o + 1, n);
            }
            case 0x2: {
                int n = 1 << low;
                long bits = be(o + 1, n);
                return n == 4 ? (double) Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
            }
            case 0x3: {
                double secs = Double.longBitsToDouble(be(o + 1, 8));
                if (Double.isNaN(secs) || Math.abs(secs) > 1e12) {
                    throw new MalformedException(what, o, "date out of range");
                }
                long whole = (long) Math.floor(secs);
                return Instant.ofEpochSecond(MAC_EPOCH + whole, (long) ((secs - whole) * 1e9));
            }
            case 0x4: {
                int[] len = length(o, low);
                return java.util.Arrays.copyOfRange(b, len[1], checkEnd(len[1], len[0]));
            }
            case 0x5: {
                int[] len = length(o, low);
                return new String(b, len[1], checkEnd(len[1], len[0]) - len[1], StandardCharsets.US_ASCII);
            }
            case 0x6: {
                int[] len = length(o, low);
                long bytes = 2L * len[0];
                if (bytes > Integer.MAX_VALUE) {
                    throw new MalformedException(what, o, "string too long");
                }
                return new String(b, len[1], checkEnd(len[1], (int) bytes) - len[1], StandardCharsets.UTF_16BE);
            }
            case 0x8:
                return be(o + 1, low + 1);
            case 0xA:
            case 0xC: {
                int[] len = length(o, low);
                List<Object> l = new ArrayList<>();
                checkEnd(len[1], (int) Math.min(Integer.MAX_VALUE, (long) len[0] * refSize));
                for (int i = 0; i < len[0]; i++) {
                    l.add(object(be(len[1] + i * refSize, refSize), depth + 1));
                }
                return l;
            }
            case 0xD: {
                int[] len = length(o, low);
                checkEnd(len[1], (int) Math.min(Integer.MAX_VALUE, 2L * len[0] * refSize));
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < len[0]; i++) {
                    Object k = object(be(len[1] + i * refSize, refSize), depth + 1);
                    Object v = object(be(len[1] + (len[0] + i) * refSize, refSize), depth + 1);
                    m.put(String.valueOf(k), v);
                }
                return m;
            }
            default:
                throw new MalformedException(what, o, String.format("unknown object marker 0x%02x", marker));
        }
    }

    /** {count, start of the payload}; a low nibble of 0xf means the count follows as an int object. */
    private int[] length(int o, int low) throws ParseException {
        if (low != 0xf) {
            return new int[] {low, o + 1};
        }
        int m = b.length > o + 1 ? b[o + 1] & 0xff : -1;
        if ((m >> 4) != 0x1 || (m & 0xf) > 3) {
            throw new MalformedException(what, o, "bad length marker");
        }
        int n = 1 << (m & 0xf);
        long v = be(o + 2, n);
        if (v > b.length) {
            throw new MalformedException(what, o, "length " + v + " beyond the plist");
        }
        return new int[] {(int) v, o + 2 + n};
    }

    private int checkEnd(int start, int len) throws ParseException {
        if (len < 0 || start > b.length - len) {
            throw new MalformedException(what, start, "object of " + len + " bytes runs past the end");
        }
        return start + len;
    }
}
