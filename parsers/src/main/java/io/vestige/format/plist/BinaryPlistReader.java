package io.vestige.format.plist;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary property lists ({@code bplist00}). Objects are decoded once each and shared where the
 * file shares them (so a "billion laughs" of nested shared arrays costs one decode per object);
 * references are checked against the object count, a reference back into an object being decoded
 * is a cycle, and nesting is bounded.
 *
 * <table>
 * <caption>Object markers (CFBinaryPList.c format comment)</caption>
 * <tr><th>marker</th><th>object</th></tr>
 * <tr><td>0x00 / 0x08 / 0x09 / 0x0F</td><td>null / false / true / fill</td></tr>
 * <tr><td>0x1n</td><td>integer of 2^n bytes, big-endian (1, 2, 4 unsigned; 8 and 16 signed)</td></tr>
 * <tr><td>0x2n</td><td>real of 2^n bytes (float, double)</td></tr>
 * <tr><td>0x33</td><td>date: double seconds since 2001-01-01T00:00:00Z</td></tr>
 * <tr><td>0x4n</td><td>data, n bytes (n = 0xF: an integer object with the count follows)</td></tr>
 * <tr><td>0x5n / 0x6n / 0x7n</td><td>ASCII / UTF-16BE (count in units) / UTF-8 string</td></tr>
 * <tr><td>0x8n</td><td>UID of n+1 bytes</td></tr>
 * <tr><td>0xAn / 0xBn / 0xCn</td><td>array / ordered set / set of n object references</td></tr>
 * <tr><td>0xDn</td><td>dict: n key references, then n value references</td></tr>
 * </table>
 */
final class BinaryPlistReader {
    /** Seconds from 1970-01-01 to 2001-01-01, the CFAbsoluteTime epoch. */
    static final long EPOCH_2001 = 978_307_200L;

    private final byte[] b;
    private final BinaryPlistTrailer trailer;
    private final Map<Integer, Object> decoded = new HashMap<>();
    private final BitSet inProgress = new BitSet();

    BinaryPlistReader(byte[] bytes) throws ParseException {
        this.b = bytes;
        this.trailer = BinaryPlistTrailer.parse(bytes);
    }

    Object read() throws ParseException {
        return object((int) trailer.topObject(), 0);
    }

    private long offsetOf(int ref) throws ParseException {
        long at = trailer.offsetTableOffset() + (long) ref * trailer.offsetIntSize();
        long off = uint(at, trailer.offsetIntSize());
        if (off < 8 || off >= trailer.offsetTableOffset()) {
            throw MalformedException.expected("binary plist offset table", at, "offset of object " + ref,
                    "8 ≤ offset < " + trailer.offsetTableOffset(), off);
        }
        return off;
    }

    private long uint(long at, int size) throws TruncatedException {
        if (at < 0 || at + size > b.length) {
            throw new TruncatedException("binary plist", at, size, Math.max(0, b.length - at));
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (b[(int) at + i] & 0xff);
        }
        return v;
    }

    private int ref(long at) throws ParseException {
        long r = uint(at, trailer.objectRefSize());
        if (r >= trailer.numObjects()) {
            throw MalformedException.expected("binary plist object reference", at, "reference", "< "
                    + trailer.numObjects(), Long.toUnsignedString(r));
        }
        return (int) r;
    }

    private Object object(int ref, int depth) throws ParseException {
        Object done = decoded.get(ref);
        if (done != null) {
            return done;
        }
        long off = offsetOf(ref);
        if (inProgress.get(ref)) {
            throw new MalformedException("binary plist object", off, "cyclic reference to object " + ref);
        }
        if (depth > PropertyList.MAX_DEPTH) {
            throw new MalformedException("binary plist object", off, "nesting deeper than " + PropertyList.MAX_DEPTH);
        }
        inProgress.set(ref);
        Object v = decode(off, depth);
        inProgress.clear(ref);
        decoded.put(ref, v);
        return v;
    }

    /** Bytes available for an object's body: objects lie between the header and the offset table. */
    private void need(long at, long n, String what) throws TruncatedException {
        if (n < 0 || at + n > trailer.offsetTableOffset()) {
            throw new TruncatedException("binary plist " + what, at, n, Math.max(0, trailer.offsetTableOffset() - at));
        }
    }

    private Object decode(long off, int depth) throws ParseException {
        need(off, 1, "object marker");
        int marker = b[(int) off] & 0xff;
        int type = marker >> 4;
        int info = marker & 0xf;
        long body = off + 1;
        switch (type) {
            case 0x0:
                return switch (info) {
                    case 0x0 -> PropertyList.Null.NULL;
                    case 0x8 -> Boolean.FALSE;
                    case 0x9 -> Boolean.TRUE;
                    case 0xF -> PropertyList.Null.NULL; // fill byte
                    default -> throw MalformedException.expected("binary plist object", off, "marker",
                            "0x00/0x08/0x09/0x0f", String.format("0x%02x", marker));
                };
            case 0x1:
                return integer(body, info, off);
            case 0x2: {
                if (info == 2) {
                    need(body, 4, "real");
                    return (double) Float.intBitsToFloat((int) uint(body, 4));
                }
                if (info == 3) {
                    need(body, 8, "real");
                    return Double.longBitsToDouble(uint(body, 8));
                }
                throw MalformedException.expected("binary plist real", off, "size exponent", "2 or 3", info);
            }
            case 0x3: {
                if (info != 3) {
                    throw MalformedException.expected("binary plist date", off, "marker", "0x33",
                            String.format("0x%02x", marker));
                }
                need(body, 8, "date");
                return date(Double.longBitsToDouble(uint(body, 8)), off);
            }
            case 0x4: {
                long[] c = count(off, info);
                need(c[1], c[0], "data");
                return java.util.Arrays.copyOfRange(b, (int) c[1], (int) (c[1] + c[0]));
            }
            case 0x5: {
                long[] c = count(off, info);
                need(c[1], c[0], "ASCII string");
                return new String(b, (int) c[1], (int) c[0], StandardCharsets.ISO_8859_1);
            }
            case 0x6: {
                long[] c = count(off, info);
                need(c[1], Math.multiplyExact(c[0], 2), "UTF-16 string");
                return new String(b, (int) c[1], (int) (c[0] * 2), StandardCharsets.UTF_16BE);
            }
            case 0x7: {
                long[] c = count(off, info);
                need(c[1], c[0], "UTF-8 string");
                return new String(b, (int) c[1], (int) c[0], StandardCharsets.UTF_8);
            }
            case 0x8: {
                int n = info + 1;
                if (n > 8) {
                    throw MalformedException.expected("binary plist UID", off, "size", "1..8 bytes", n);
                }
                need(body, n, "UID");
                return new PropertyList.Uid(uint(body, n));
            }
            case 0xA, 0xB, 0xC: {
                long[] c = count(off, info);
                need(c[1], Math.multiplyExact(c[0], (long) trailer.objectRefSize()), "array");
                List<Object> l = new ArrayList<>((int) Math.min(c[0], 1 << 16));
                for (long i = 0; i < c[0]; i++) {
                    l.add(object(ref(c[1] + i * trailer.objectRefSize()), depth + 1));
                }
                return Collections.unmodifiableList(l);
            }
            case 0xD: {
                long[] c = count(off, info);
                long refs = c[1];
                need(refs, Math.multiplyExact(Math.multiplyExact(c[0], 2L), (long) trailer.objectRefSize()), "dict");
                Map<String, Object> m = new LinkedHashMap<>();
                long valuesAt = refs + c[0] * trailer.objectRefSize();
                for (long i = 0; i < c[0]; i++) {
                    long keyAt = refs + i * trailer.objectRefSize();
                    Object k = object(ref(keyAt), depth + 1);
                    if (!(k instanceof String key)) {
                        throw MalformedException.expected("binary plist dict", off, "key " + i, "string",
                                PropertyList.typeName(k));
                    }
                    m.put(key, object(ref(valuesAt + i * trailer.objectRefSize()), depth + 1));
                }
                return Collections.unmodifiableMap(m);
            }
            default:
                throw new MalformedException("binary plist object", off, String.format("unknown marker 0x%02x", marker));
        }
    }

    private Object integer(long body, int info, long off) throws ParseException {
        if (info > 4) {
            throw MalformedException.expected("binary plist integer", off, "size exponent", "0..4", info);
        }
        int n = 1 << info;
        need(body, n, "integer");
        if (n <= 4) {
            return uint(body, n);
        }
        if (n == 8) {
            return uint(body, 8); // two's complement: negative values come back negative
        }
        BigInteger v = new BigInteger(java.util.Arrays.copyOfRange(b, (int) body, (int) body + 16));
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A count from the low nibble, or from the integer object that follows when the nibble is 0xF. Returns {count, bodyOffset}. */
    private long[] count(long off, int info) throws ParseException {
        if (info != 0xF) {
            return new long[]{info, off + 1};
        }
        need(off + 1, 1, "count");
        int m = b[(int) off + 1] & 0xff;
        if ((m >> 4) != 0x1 || (m & 0xf) > 3) {
            throw MalformedException.expected("binary plist count", off + 1, "integer marker", "0x10..0x13",
                    String.format("0x%02x", m));
        }
        int n = 1 << (m & 0xf);
        need(off + 2, n, "count");
        long c = uint(off + 2, n);
        if (c < 0 || c > b.length) {
            // every element needs at least one byte of the file: larger counts are lies
            throw MalformedException.expected("binary plist count", off + 1, "count", "≤ file size " + b.length,
                    Long.toUnsignedString(c));
        }
        return new long[]{c, off + 2 + n};
    }

    private static Instant date(double seconds, long off) throws MalformedException {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 1e15) {
            throw MalformedException.expected("binary plist date", off, "seconds since 2001", "a finite time", seconds);
        }
        double floor = Math.floor(seconds);
        long nanos = Math.round((seconds - floor) * 1e9);
        return Instant.ofEpochSecond(EPOCH_2001 + (long) floor, nanos);
    }
}
