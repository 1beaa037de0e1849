package io.vestige.format.collection;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * An AppleDouble {@code ._name} file, which macOS archivers write beside a file to carry its
 * extended attributes (for instance {@code com.apple.quarantine}) and resource fork. Big-endian.
 *
 * <table>
 * <caption>Layout (RFC 1740 AppleDouble v2; xnu {@code bsd/vfs/vfs_xattr.c} for the ATTR extension)</caption>
 * <tr><th>offset</th><th>size</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>magic 0x00051607</td></tr>
 * <tr><td>4</td><td>4</td><td>version 0x00020000</td></tr>
 * <tr><td>8</td><td>16</td><td>filler ({@code "Mac OS X        "})</td></tr>
 * <tr><td>24</td><td>2</td><td>number of entries</td></tr>
 * <tr><td>26</td><td>12 each</td><td>entry: type (9 Finder info, 2 resource fork), offset, length</td></tr>
 * <tr><td>Finder info + 34</td><td>36</td><td>{@code ATTR} header: magic, debug tag, total size,
 *   data start, data length, 3 reserved, flags (u16), attribute count (u16)</td></tr>
 * <tr><td>then</td><td>11 + name, padded to 4</td><td>attribute entry: data offset, length, flags (u16),
 *   name length (u8, with NUL), name</td></tr>
 * </table>
 *
 * @param xattrs       extended attributes by name
 * @param resourceFork the resource fork bytes (empty when there is none)
 */
public record AppleDouble(Map<String, byte[]> xattrs, byte[] resourceFork) {
    static final int MAGIC = 0x00051607;
    static final int ATTR_MAGIC = 0x41545452;
    static final int ENTRY_FINDER_INFO = 9;
    static final int ENTRY_RESOURCE_FORK = 2;
    /** xnu refuses more; so do we. */
    static final int MAX_ENTRIES = 15;
    static final int MAX_ATTRS = 1024;

    public static boolean isAppleDouble(byte[] b) {
        return b.length >= 26 && (b[0] & 0xff) == 0 && (b[1] & 0xff) == 5 && (b[2] & 0xff) == 0x16
                && (b[3] & 0xff) == 0x07;
    }

    public static AppleDouble parse(byte[] b, long maxXattrSize) throws ParseException {
        StructReader r = StructReader.be(b, 0, "AppleDouble");
        if (r.u32(0) != MAGIC) {
            throw new BadMagicException("AppleDouble", 0, "0x00051607", String.format("0x%08x", r.u32(0)));
        }
        int n = r.u16(24);
        if (n > MAX_ENTRIES) {
            throw MalformedException.expected("AppleDouble", 24, "entry count", "≤ " + MAX_ENTRIES, n);
        }
        Map<String, byte[]> xattrs = new TreeMap<>();
        byte[] rsrc = new byte[0];
        for (int i = 0; i < n; i++) {
            int at = 26 + 12 * i;
            long type = r.u32(at);
            long off = r.u32(at + 4);
            long len = r.u32(at + 8);
            if (off > b.length || len > b.length - off) {
                throw MalformedException.expected("AppleDouble entry", at, "range", "inside " + b.length + " bytes",
                        off + "+" + len);
            }
            if (type == ENTRY_RESOURCE_FORK) {
                if (len > maxXattrSize) {
                    throw MalformedException.expected("AppleDouble resource fork", at, "length", "≤ maxXattrSize", len);
                }
                rsrc = java.util.Arrays.copyOfRange(b, (int) off, (int) (off + len));
            } else if (type == ENTRY_FINDER_INFO && len > 32 + 2 + 36) {
                attrs(r, b, (int) off + 32 + 2, maxXattrSize, xattrs);
            }
        }
        return new AppleDouble(xattrs, rsrc);
    }

    private static void attrs(StructReader r, byte[] b, int h, long maxXattrSize, Map<String, byte[]> out)
            throws ParseException {
        if (r.u32(h) != ATTR_MAGIC) {
            return; // plain Finder info, no attributes
        }
        int count = r.u16(h + 34);
        if (count > MAX_ATTRS) {
            throw MalformedException.expected("AppleDouble ATTR header", h + 34, "attribute count", "≤ " + MAX_ATTRS, count);
        }
        int e = h + 36;
        for (int i = 0; i < count; i++) {
            long off = r.u32(e);
            long len = r.u32(e + 4);
            int nameLen = r.u8(e + 10);
            if (nameLen == 0 || e + 11 + nameLen > b.length) {
                throw MalformedException.expected("AppleDouble attribute entry", e, "name length", "1.." + (b.length - e - 11),
                        nameLen);
            }
            int nl = nameLen;
            while (nl > 0 && b[e + 11 + nl - 1] == 0) {
                nl--;
            }
            String name = new String(b, e + 11, nl, StandardCharsets.UTF_8);
            if (off > b.length || len > b.length - off) {
                throw MalformedException.expected("AppleDouble attribute '" + name + "'", e, "data range",
                        "inside " + b.length + " bytes", off + "+" + len);
            }
            if (len <= maxXattrSize) {
                out.put(name, java.util.Arrays.copyOfRange(b, (int) off, (int) (off + len)));
            }
            e = (e + 11 + nameLen + 3) & ~3;
        }
    }
}
