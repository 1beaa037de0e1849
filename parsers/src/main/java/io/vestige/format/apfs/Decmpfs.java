package io.vestige.format.apfs;

import io.vestige.codec.Lzfse;
import io.vestige.codec.Lzvn;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Transparent file compression ({@code com.apple.decmpfs} xattr, {@code UF_COMPRESSED}): a
 * decompressing {@link ByteSource} with a small chunk cache. The header is LE:
 * {@code 0 'fpmc', 4 u32 type, 8 u64 uncompressed size, 16 payload}. Inline types hold the
 * stream after the header; resource-fork types keep 64 KiB blocks in {@code com.apple.ResourceFork}:
 * zlib (4) behind a big-endian resource header {data off, map off, data len, map len} and a
 * little-endian block table at data off + 4; LZVN/raw/LZFSE (8/10/12) behind a little-endian
 * offset table at 0 (FORMATS.md §3.6; xnu decmpfs.h for the type numbers).
 */
public final class Decmpfs {
    public static final int MAGIC = 0x636d7066; // "fpmc" read LE
    public static final int BLOCK = 65536;
    public static final String XATTR = "com.apple.decmpfs";
    public static final String RSRC = "com.apple.ResourceFork";

    private Decmpfs() {
    }

    /** The decmpfs header: compression type and uncompressed size. */
    public record Header(int type, long size) {
        public boolean inResourceFork() {
            return type == 4 || type == 8 || type == 10 || type == 12 || type == 14;
        }

        public String algorithm() {
            return algorithmName(type);
        }
    }

    public static String algorithmName(int type) {
        return switch (type) {
            case 1, 9, 10 -> "uncompressed";
            case 3, 4 -> "zlib";
            case 5 -> "sparse";
            case 7, 8 -> "lzvn";
            case 11, 12 -> "lzfse";
            case 13, 14 -> "lzbitmap";
            default -> "unknown";
        };
    }

    public static Header header(byte[] x, long abs) throws ParseException {
        if (x.length < 16) {
            throw new TruncatedException("decmpfs header", abs, 16, x.length);
        }
        int magic = (x[0] & 0xff) | (x[1] & 0xff) << 8 | (x[2] & 0xff) << 16 | (x[3] & 0xff) << 24;
        if (magic != MAGIC) {
            throw new BadMagicException("decmpfs header", abs, "fpmc", String.format("0x%08x", magic));
        }
        int type = (x[4] & 0xff) | (x[5] & 0xff) << 8 | (x[6] & 0xff) << 16 | (x[7] & 0xff) << 24;
        long size = ObjectMap.le64(x, 8);
        if (size < 0) {
            throw new MalformedException("decmpfs header", abs + 8, "uncompressed size " + Long.toUnsignedString(size));
        }
        return new Header(type, size);
    }

    /**
     * The uncompressed content.
     *
     * @param xattr the whole {@code com.apple.decmpfs} value
     * @param rsrc  the resource fork, or null when the file has none
     */
    public static ByteSource open(byte[] xattr, ByteSource rsrc, ParseLimits limits, String description)
            throws ParseException {
        Header h = header(xattr, 0);
        int t = h.type();
        if (t != 1 && t != 3 && t != 4 && t != 7 && t != 8 && t != 9 && t != 10 && t != 11 && t != 12) {
            throw new UnsupportedFormatException("decmpfs", 4, "compression type " + t + " (" + algorithmName(t)
                    + ") is not supported");
        }
        if (h.inResourceFork() && rsrc == null) {
            throw new MalformedException("decmpfs", 4, "type " + t + " keeps its data in " + RSRC
                    + " but the file has no resource fork");
        }
        return new Source(h, xattr, rsrc, limits, description);
    }

    static final class Source implements ByteSource {
        private final Header h;
        private final byte[] xattr;
        private final ByteSource rsrc;
        private final ParseLimits limits;
        private final String description;
        private final Map<Long, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
                return size() > 8;
            }
        };
        private long[] table; // resource-fork block start/end pairs (absolute in the fork)

        Source(Header h, byte[] xattr, ByteSource rsrc, ParseLimits limits, String description) {
            this.h = h;
            this.xattr = xattr;
            this.rsrc = rsrc;
            this.limits = limits;
            this.description = description;
        }

        @Override
        public long size() {
            return h.size();
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (offset >= h.size()) {
                return -1;
            }
            int total = 0;
            long pos = offset;
            boolean inline = !h.inResourceFork();
            while (dst.hasRemaining() && pos < h.size()) {
                long chunk = inline ? 0 : pos / BLOCK;
                long chunkStart = inline ? 0 : chunk * BLOCK;
                byte[] c = chunk(chunk);
                int in = (int) (pos - chunkStart);
                int n = Math.min(dst.remaining(), c.length - in);
                if (n <= 0) {
                    throw new TruncatedException(description, pos, "decompressed chunk " + chunk + " ends early");
                }
                dst.put(c, in, n);
                total += n;
                pos += n;
            }
            return total;
        }

        private byte[] chunk(long k) throws IOException {
            synchronized (cache) {
                byte[] c = cache.get(k);
                if (c != null) {
                    return c;
                }
            }
            byte[] c = h.inResourceFork() ? decodeRsrc(k) : decodeInline();
            synchronized (cache) {
                cache.put(k, c);
            }
            return c;
        }

        private byte[] decodeInline() throws IOException {
            limits.check("maxChunkSize", h.size(), "decmpfs inline data", 8);
            int want = (int) h.size();
            return decode(xattr, 16, xattr.length - 16, want, 16);
        }

        private synchronized long[] table() throws IOException {
            if (table != null) {
                return table;
            }
            long chunks = (h.size() + BLOCK - 1) / BLOCK;
            limits.check("maxTableEntries", chunks, "decmpfs block table", 0);
            // every block needs at least a 4-byte table entry in the fork: a lying size fails here, not in an allocation
            if (chunks > rsrc.size() / 4) {
                throw MalformedException.expected("decmpfs block table", 0, "resource fork size for " + chunks
                        + " blocks", "at least " + chunks * 4 + " bytes", rsrc.size() + " bytes");
            }
            long[] t = new long[(int) chunks * 2];
            if (h.type() == 4) {
                byte[] hdr = rsrc.readBytes(0, 16);
                long dataOff = be32(hdr, 0);
                byte[] cnt = rsrc.readBytes(dataOff + 4, 4);
                long n = le32(cnt, 0);
                if (n < chunks) {
                    throw MalformedException.expected("decmpfs zlib resource block table", dataOff + 4,
                            "block count", "at least " + chunks, n);
                }
                byte[] entries = rsrc.readBytes(dataOff + 8, (int) chunks * 8);
                long base = dataOff + 4;
                for (int i = 0; i < chunks; i++) {
                    long off = base + le32(entries, i * 8);
                    long len = le32(entries, i * 8 + 4);
                    t[2 * i] = off;
                    t[2 * i + 1] = off + len;
                }
            } else {
                byte[] first = rsrc.readBytes(0, 4);
                long tableBytes = le32(first, 0);
                long n = tableBytes / 4 - 1;
                if (n < chunks || tableBytes > rsrc.size()) {
                    throw MalformedException.expected("decmpfs resource offset table", 0, "entries",
                            "at least " + chunks, n);
                }
                byte[] offs = rsrc.readBytes(0, (int) (chunks + 1) * 4);
                for (int i = 0; i < chunks; i++) {
                    t[2 * i] = le32(offs, i * 4);
                    t[2 * i + 1] = le32(offs, i * 4 + 4);
                }
            }
            for (int i = 0; i < chunks; i++) {
                long s = t[2 * i];
                long e = t[2 * i + 1];
                if (e < s || e > rsrc.size() || e - s > 2L * BLOCK) {
                    throw new MalformedException("decmpfs block table", i, "block " + i + " [" + s + ", " + e
                            + ") outside the resource fork of " + rsrc.size() + " bytes");
                }
            }
            table = t;
            return t;
        }

        private byte[] decodeRsrc(long k) throws IOException {
            long[] t = table();
            long s = t[(int) k * 2];
            long e = t[(int) k * 2 + 1];
            byte[] src = rsrc.readBytes(s, (int) (e - s));
            int want = (int) Math.min(BLOCK, h.size() - k * BLOCK);
            return decode(src, 0, src.length, want, s);
        }

        private byte[] decode(byte[] src, int off, int len, int want, long abs) throws IOException {
            byte[] out = new byte[want];
            if (want == 0) {
                return out;
            }
            if (len <= 0) {
                throw new TruncatedException("decmpfs " + h.algorithm() + " block", abs, 1, 0);
            }
            int first = src[off] & 0xff;
            int t = h.type();
            int got;
            if (t == 1 || t == 9 || t == 10) {
                int skip = (t == 10 && len == want + 1) ? 1 : 0;
                got = copy(src, off + skip, len - skip, out);
            } else if ((t == 3 || t == 4) && (first & 0x0f) == 0x0f) {
                got = copy(src, off + 1, len - 1, out);
            } else if ((t == 7 || t == 8) && first == 0x06) {
                got = copy(src, off + 1, len - 1, out);
            } else if ((t == 11 || t == 12) && first == 0xff) {
                got = copy(src, off + 1, len - 1, out);
            } else if (t == 3 || t == 4) {
                Inflater inf = new Inflater();
                try {
                    inf.setInput(src, off, len);
                    got = 0;
                    while (got < want && !inf.finished()) {
                        int r = inf.inflate(out, got, want - got);
                        if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                            break;
                        }
                        got += r;
                    }
                } catch (DataFormatException ex) {
                    throw new MalformedException("decmpfs zlib block", abs, ex.getMessage(), ex);
                } finally {
                    inf.end();
                }
            } else {
                try {
                    got = (t == 7 || t == 8) ? Lzvn.decode(src, off, len, out, 0, want)
                            : Lzfse.decode(src, off, len, out, 0, want);
                } catch (UnsupportedFormatException ex) {
                    throw new UnsupportedFormatException("decmpfs " + h.algorithm() + " block", abs,
                            "cannot decompress this " + h.algorithm() + " file: " + ex.getMessage());
                }
            }
            if (got != want) {
                throw MalformedException.expected("decmpfs " + h.algorithm() + " block", abs, "decompressed size",
                        want, got);
            }
            return out;
        }

        private static int copy(byte[] src, int off, int len, byte[] out) {
            int n = Math.min(len, out.length);
            System.arraycopy(src, off, out, 0, n);
            return n;
        }
    }

    static long be32(byte[] b, int o) {
        return (b[o] & 0xffL) << 24 | (b[o + 1] & 0xffL) << 16 | (b[o + 2] & 0xffL) << 8 | (b[o + 3] & 0xffL);
    }

    static long le32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }
}
