package io.vestige.format.fsevents;

import io.vestige.evidence.EvidencePath;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one {@code .fseventsd} file: a gzip stream (members may be concatenated, the last may be
 * truncated) or an uncompressed stream of DLS pages. Each page: {@code 0} signature {@code 1SLD},
 * {@code 2SLD} or {@code 3SLD}, {@code 4} u32 unknown, {@code 8} u32 page size including this
 * 12-byte header, then records until the page end (FORMATS §7). Damage ends the file with a
 * diagnostic; records read so far are kept.
 */
public final class FseventsFile {

    /** Per-file summary. */
    public record Summary(String fileName, boolean gzip, int pages, long records, Long firstEventId,
                          Long lastEventId, long decompressedBytes, boolean complete) {
    }

    /** Receives records as they are read. */
    @FunctionalInterface
    public interface Sink {
        void accept(FseventsRecord r) throws IOException;
    }

    private FseventsFile() {
    }

    /** {@code true} for gzip ({@code 1f 8b}) or a DLS page signature at offset 0. */
    public static boolean probe(ByteSource src) throws IOException {
        byte[] h = src.readAtMost(0, 4);
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return true;
        }
        return h.length == 4 && version(h, 0) > 0;
    }

    /**
     * {@code true} when the (decompressed) stream starts with a DLS page signature: stricter than
     * {@link #probe}, which accepts any gzip file.
     */
    public static boolean probeContent(ByteSource src) throws IOException {
        byte[] h = src.readAtMost(0, 4);
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            byte[] d = new byte[4];
            int n = 0;
            try (InputStream in = new GZIPInputStream(src.openStream())) {
                while (n < 4) {
                    int k = in.read(d, n, 4 - n);
                    if (k < 0) {
                        break;
                    }
                    n += k;
                }
            } catch (IOException e) {
                // a damaged stream may still have yielded the signature
            }
            return n == 4 && version(d, 0) > 0;
        }
        return h.length == 4 && version(h, 0) > 0;
    }

    static int version(byte[] b, int off) {
        if (b[off + 1] == 'S' && b[off + 2] == 'L' && b[off + 3] == 'D') {
            return switch (b[off]) {
                case '1' -> 1;
                case '2' -> 2;
                case '3' -> 3;
                default -> 0;
            };
        }
        return 0;
    }

    public static Summary read(ByteSource src, String fileName, EvidencePath where, ParseLimits limits,
                               Diagnostics diags, Sink sink) throws IOException {
        byte[] magic = src.readAtMost(0, 2);
        boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        InputStream raw = new BufferedInputStream(src.openStream(), 1 << 16);
        InputStream in = raw;
        if (gzip) {
            try {
                in = new GZIPInputStream(raw, 1 << 16);
            } catch (EOFException | ZipException e) {
                diags.add(Diagnostic.warning(where.toString(), "FSEvents gzip header", 0, "unreadable gzip header: " + e.getMessage()));
                return new Summary(fileName, true, 0, 0, null, null, 0, false);
            }
        }
        Reader r = new Reader(in, fileName, where, limits, diags, sink);
        try (InputStream closing = in) {
            r.run();
        }
        return new Summary(fileName, gzip, r.pages, r.records, r.first, r.last, r.pos, r.complete);
    }

    private static final class Reader {
        private final InputStream in;
        private final String fileName;
        private final EvidencePath where;
        private final ParseLimits limits;
        private final Diagnostics diags;
        private final Sink sink;
        long pos;
        int pages;
        long records;
        Long first;
        Long last;
        boolean complete = true;

        Reader(InputStream in, String fileName, EvidencePath where, ParseLimits limits, Diagnostics diags, Sink sink) {
            this.in = in;
            this.fileName = fileName;
            this.where = where;
            this.limits = limits;
            this.diags = diags;
            this.sink = sink;
        }

        /** Fills {@code b} as far as the stream allows; a damaged gzip tail counts as the end. */
        private int fill(byte[] b, int off, int len) {
            int n = 0;
            try {
                while (n < len) {
                    int k = in.read(b, off + n, len - n);
                    if (k < 0) {
                        break;
                    }
                    n += k;
                }
            } catch (IOException e) {
                complete = false;
                diags.add(Diagnostic.warning(where.toString(), "FSEvents gzip stream", pos + n,
                        "compressed data ends early or is damaged (" + e.getMessage() + "); records before it are kept"));
            }
            return n;
        }

        void run() throws IOException {
            byte[] hdr = new byte[12];
            while (complete) {
                int n = fill(hdr, 0, 12);
                if (n == 0) {
                    return;
                }
                if (n < 12) {
                    complete = false;
                    diags.add(Diagnostic.warning(where.toString(), "FSEvents page header", pos,
                            "truncated: expected 12 bytes, found " + n));
                    return;
                }
                int version = version(hdr, 0);
                if (version == 0) {
                    complete = false;
                    diags.add(Diagnostic.warning(where.toString(), "FSEvents page header", pos,
                            "bad signature: expected 1SLD/2SLD/3SLD, found " + hex(hdr, 4)));
                    return;
                }
                long size = Integer.toUnsignedLong((hdr[8] & 0xff) | (hdr[9] & 0xff) << 8 | (hdr[10] & 0xff) << 16 | (hdr[11] & 0xff) << 24);
                if (size < 12) {
                    complete = false;
                    diags.add(Diagnostic.warning(where.toString(), "FSEvents page header", pos + 8,
                            "page size " + size + " is smaller than the 12-byte header"));
                    return;
                }
                limits.check("maxChunkSize", size, "FSEvents page", pos);
                int body = (int) (size - 12);
                byte[] page = new byte[body];
                int got = fill(page, 0, body);
                long pageStart = pos;
                pos += 12;
                if (got < body) {
                    complete = false;
                    diags.add(Diagnostic.warning(where.toString(), "FSEvents page", pageStart,
                            "truncated: page size " + size + " but only " + (got + 12) + " bytes present; records in them are kept"));
                }
                records(page, got, version, pages, pos);
                pos += got;
                pages++;
            }
        }

        private void records(byte[] p, int len, int version, int page, long base) throws IOException {
            int fixed = version == 1 ? 12 : version == 2 ? 20 : 24;
            int i = 0;
            while (i < len) {
                int nul = i;
                while (nul < len && p[nul] != 0) {
                    nul++;
                }
                if (nul >= len || len - (nul + 1) < fixed) {
                    complete = false;
                    diags.add(Diagnostic.warning(where.toString(), "FSEvents record", base + i,
                            "record truncated at page end (" + (len - i) + " bytes left); skipped"));
                    return;
                }
                if (nul - i > limits.maxNameLength()) {
                    limits.check("maxNameLength", nul - i, "FSEvents record path", base + i);
                }
                String path = new String(p, i, nul - i, StandardCharsets.UTF_8);
                int f = nul + 1;
                long id = le64(p, f);
                int flags = (int) le32(p, f + 8);
                Long node = version >= 2 ? le64(p, f + 12) : null;
                Long extra = version >= 3 ? le32(p, f + 20) : null;
                records++;
                if (first == null) {
                    first = id;
                }
                last = id;
                sink.accept(new FseventsRecord(path, id, flags, node, extra, version, fileName, page, base + i,
                        where.then("offset", "0x" + Long.toHexString(base + i) + " (decompressed)")));
                i = f + fixed;
            }
        }
    }

    static long le64(byte[] b, int o) {
        return le32(b, o) | le32(b, o + 4) << 32;
    }

    static long le32(byte[] b, int o) {
        return Integer.toUnsignedLong((b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.toString();
    }
}
