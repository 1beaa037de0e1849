package io.vestige.format.tar;

import io.vestige.io.ChecksumException;
import io.vestige.io.MalformedException;
import java.nio.charset.StandardCharsets;

/**
 * One 512-byte tar header record (POSIX.1-1988 ustar, with the GNU and v7 variants).
 * Numeric fields are octal text, or GNU base-256 when the first byte has its high bit set.
 *
 * <table>
 * <caption>Header layout (POSIX {@code pax} "ustar Interchange Format"; GNU tar manual "Basic Tar Format")</caption>
 * <tr><th>offset</th><th>size</th><th>field</th></tr>
 * <tr><td>0</td><td>100</td><td>name</td></tr>
 * <tr><td>100</td><td>8</td><td>mode</td></tr>
 * <tr><td>108</td><td>8</td><td>uid</td></tr>
 * <tr><td>116</td><td>8</td><td>gid</td></tr>
 * <tr><td>124</td><td>12</td><td>size</td></tr>
 * <tr><td>136</td><td>12</td><td>mtime (seconds since 1970)</td></tr>
 * <tr><td>148</td><td>8</td><td>chksum (sum of header bytes, chksum counted as spaces)</td></tr>
 * <tr><td>156</td><td>1</td><td>typeflag</td></tr>
 * <tr><td>157</td><td>100</td><td>linkname</td></tr>
 * <tr><td>257</td><td>6+2</td><td>magic {@code ustar\0} + version {@code 00} (POSIX) or {@code ustar  \0} (GNU)</td></tr>
 * <tr><td>265</td><td>32</td><td>uname</td></tr>
 * <tr><td>297</td><td>32</td><td>gname</td></tr>
 * <tr><td>329</td><td>8+8</td><td>devmajor, devminor</td></tr>
 * <tr><td>345</td><td>155</td><td>prefix (POSIX); GNU: atime @345, ctime @357, sparse map @386, isextended @482, realsize @483</td></tr>
 * </table>
 *
 * @param offset   where the header starts in the (decompressed) archive
 * @param format   {@code ustar}, {@code gnu} or {@code v7}
 * @param name     name, joined with the POSIX prefix when present
 * @param gnuAtime GNU header access time (seconds), or {@code null}
 * @param gnuCtime GNU header status-change time (seconds), or {@code null}
 * @param realSize GNU old-style sparse member's full size, -1 otherwise
 * @param extended GNU old-style sparse: extension records follow the header
 * @param sparseMap GNU old-style sparse: (offset, numbytes) pairs from the header (up to 4), else empty
 */
record TarHeader(long offset, String format, String name, long mode, long uid, long gid, long size, long mtime,
                 char typeflag, String linkName, String uname, String gname, long devMajor, long devMinor,
                 Long gnuAtime, Long gnuCtime, long realSize, boolean extended, long[] sparseMap) {

    static final int BLOCK = 512;

    static boolean isZeroBlock(byte[] b) {
        for (int i = 0; i < BLOCK; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** True when the stored checksum matches (unsigned or, as some old writers did, signed sum). */
    static boolean checksumOk(byte[] b) {
        long stored;
        try {
            stored = number(b, 148, 8, -1);
        } catch (MalformedException e) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = (i >= 148 && i < 156) ? ' ' : b[i];
            unsigned += v & 0xff;
            signed += (byte) v;
        }
        return stored == unsigned || stored == signed;
    }

    /** True for a block that looks like a tar header: ustar magic or a matching v7 checksum. */
    static boolean looksLikeHeader(byte[] b) {
        if (b.length < BLOCK || isZeroBlock(b)) {
            return false;
        }
        boolean magic = b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r';
        return checksumOk(b) && (magic || b[0] != 0);
    }

    static TarHeader parse(byte[] b, long offset) throws MalformedException, ChecksumException {
        if (!checksumOk(b)) {
            throw new ChecksumException("tar header", offset, "header checksum does not match (stored "
                    + text(b, 148, 8).trim() + ")");
        }
        boolean posix = b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r'
                && b[262] == 0;
        boolean gnu = b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r'
                && b[262] == ' ' && b[263] == ' ';
        String name = text(b, 0, 100);
        if (posix && b[345] != 0) {
            String prefix = text(b, 345, 155);
            name = prefix + "/" + name;
        }
        char type = (char) (b[156] & 0xff);
        Long atime = null;
        Long ctime = null;
        long realSize = -1;
        boolean extended = false;
        long[] sparseMap = new long[0];
        if (gnu) {
            long a = number(b, 345, 12, offset);
            long c = number(b, 357, 12, offset);
            atime = a == 0 ? null : a;
            ctime = c == 0 ? null : c;
            if (type == 'S') {
                extended = b[482] != 0;
                realSize = number(b, 483, 12, offset);
                sparseMap = sparseEntries(b, 386, 4, offset);
            }
        }
        return new TarHeader(offset, posix ? "ustar" : gnu ? "gnu" : "v7", name, number(b, 100, 8, offset),
                number(b, 108, 8, offset), number(b, 116, 8, offset), number(b, 124, 12, offset),
                number(b, 136, 12, offset), type, text(b, 157, 100), text(b, 265, 32), text(b, 297, 32),
                number(b, 329, 8, offset), number(b, 337, 8, offset), atime, ctime, realSize, extended, sparseMap);
    }

    /** Up to {@code n} (offset, numbytes) pairs of 12-byte numbers from {@code at}; an all-zero slot ends the list. */
    static long[] sparseEntries(byte[] b, int at, int n, long headerOffset) throws MalformedException {
        long[] out = new long[2 * n];
        int used = 0;
        for (int i = 0; i < n; i++) {
            int o = at + 24 * i;
            if (b[o] == 0 && b[o + 12] == 0) {
                break;
            }
            out[used++] = number(b, o, 12, headerOffset);
            out[used++] = number(b, o + 12, 12, headerOffset);
        }
        return java.util.Arrays.copyOf(out, used);
    }

    /** NUL-terminated text field, decoded as UTF-8 (macOS writes UTF-8 names). */
    static String text(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && b[off + n] != 0) {
            n++;
        }
        return new String(b, off, n, StandardCharsets.UTF_8);
    }

    /**
     * A numeric field: octal digits with optional leading spaces/NULs and a space or NUL
     * terminator, or GNU base-256 (high bit of the first byte set; 0xff first byte = negative).
     */
    static long number(byte[] b, int off, int len, long headerOffset) throws MalformedException {
        int first = b[off] & 0xff;
        if ((first & 0x80) != 0) {
            boolean negative = (first & 0x40) != 0;
            long v = negative ? -1 : 0;
            for (int i = 0; i < len; i++) {
                int x = b[off + i] & 0xff;
                if (i == 0) {
                    x = negative ? x : x & 0x7f;
                }
                if (i < len - 8) {
                    // the bytes that do not fit a long must be pure sign extension
                    if (x != (negative ? 0xff : 0)) {
                        throw new MalformedException("tar header", headerOffset + off, "base-256 number too large");
                    }
                    continue;
                }
                v = (v << 8) | x;
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '7') {
            if (digits++ >= 21) {
                throw new MalformedException("tar header", headerOffset + off, "octal number too long");
            }
            v = (v << 3) | (b[i] - '0');
            i++;
        }
        while (i < end) {
            if (b[i] != ' ' && b[i] != 0) {
                throw MalformedException.expected("tar header", headerOffset + off, "numeric field",
                        "octal digits", "'" + text(b, off, len).replaceAll("\\p{Cntrl}", "?") + "'");
            }
            i++;
        }
        if (v < 0) {
            throw new MalformedException("tar header", headerOffset + off, "octal number too large");
        }
        return v;
    }
}
