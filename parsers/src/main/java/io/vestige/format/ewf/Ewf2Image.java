package io.vestige.format.ewf;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.Adler32;

/**
 * An EWF2 segment set ({@code .Ex01}/{@code .Lx01}, EnCase 7+) opened for reading, per libyal
 * "Expert Witness Compression Format 2 (EWF2)". Section descriptors end their sections and point
 * backwards, so each segment is walked from its last 64 bytes towards its file header. Written
 * from the specification and tested on files synthesized by the fixtures' independent writer.
 */
public final class Ewf2Image extends EwfMedia {
    static final byte[] EVF2 = {'E', 'V', 'F', '2', 13, 10, (byte) 0x81, 0};
    static final byte[] LEF2 = {'L', 'E', 'F', '2', 13, 10, (byte) 0x81, 0};
    static final int FILE_HEADER_SIZE = 32;
    static final int DESCRIPTOR_SIZE = 64;

    /**
     * EWF2 section descriptor (64 bytes, at the end of its section).
     *
     * <pre>
     * 0  4  type          16 8  data size (incl. padding)   32 16 MD5 of the data
     * 4  4  data flags    24 4  descriptor size              60 4  Adler-32 of bytes 0-59
     * 8  8  previous descriptor offset (0 = first section)  28 4  padding size
     * </pre>
     */
    public record SectionDescriptor(long type, long dataFlags, long previousOffset, long dataSize, long paddingSize,
                                    long offset, long dataOffset) {
    }

    /** One sector table: where its entries are, the chunks it lists. */
    record TableRef(int segment, long entriesOffset, long count, long firstChunk) {
    }

    private final List<TableRef> tables;
    private final Map<String, String> metadata;
    private final Map<String, Object> details;
    private final Map<String, String> hashes;
    private final int compressionMethod;
    private final long bytesPerSector;
    private final Map<Integer, long[][]> tableCache = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, long[][]> eldest) {
            return size() > 16;
        }
    };

    private Ewf2Image(Builder b, Diagnostics d) {
        super(b.sources, b.names, b.mediaSize, b.chunkSize, d);
        this.tables = b.tables;
        this.metadata = b.metadata();
        this.details = b.details();
        this.hashes = b.hashes;
        this.compressionMethod = b.compression;
        this.bytesPerSector = b.bytesPerSector;
    }

    public static boolean matches(byte[] head) {
        if (head.length < 8) {
            return false;
        }
        byte[] s = Arrays.copyOf(head, 8);
        return Arrays.equals(s, EVF2) || Arrays.equals(s, LEF2);
    }

    public static Ewf2Image open(Path file, ParseLimits limits, Diagnostics diagnostics) throws IOException {
        List<Path> paths = EwfSegmentNames.discover(file, limits.maxSegments());
        Builder b = new Builder(limits, diagnostics);
        try {
            for (Path p : paths) {
                b.sources.add(ByteSources.open(p));
                b.names.add(p.getFileName().toString());
            }
            b.walkAll();
            return new Ewf2Image(b, diagnostics);
        } catch (IOException | RuntimeException e) {
            for (ByteSource s : b.sources) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the original failure is what matters
                }
            }
            throw e;
        }
    }

    public List<String> segmentNames() {
        return List.copyOf(segmentNames);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Map<String, String> storedHashes() {
        return hashes;
    }

    public long bytesPerSector() {
        return bytesPerSector;
    }

    @Override
    ChunkLocation locate(long index) throws IOException {
        int lo = 0;
        int hi = tables.size() - 1;
        if (hi < 0) {
            return null;
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (tables.get(mid).firstChunk() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        TableRef t = tables.get(lo);
        if (index < t.firstChunk() || index - t.firstChunk() >= t.count()) {
            return null;
        }
        long[][] e;
        synchronized (tableCache) {
            e = tableCache.get(lo);
        }
        if (e == null) {
            e = load(t);
            synchronized (tableCache) {
                tableCache.put(lo, e);
            }
        }
        int i = (int) (index - t.firstChunk());
        int fl = (int) e[2][i];
        int flags = 0;
        if ((fl & 1) != 0) {
            flags |= F_COMPRESSED;
            if (compressionMethod == 2) {
                flags |= F_BZIP2;
            }
            if ((fl & 4) != 0) {
                flags |= F_PATTERN;
            }
        }
        if ((fl & 2) != 0) {
            flags |= F_CHECKSUM;
        }
        return new ChunkLocation(t.segment(), e[0][i], e[1][i], flags, e[0][i], null);
    }

    private long[][] load(TableRef t) throws IOException {
        ByteSource seg = segments.get(t.segment());
        int n = (int) t.count();
        byte[] b = seg.readBytes(t.entriesOffset(), n * 16);
        String s = "EWF2 sector table in " + seg.describe();
        if (seg.size() - t.entriesOffset() >= n * 16L + 4) {
            long stored = StructReader.le(seg.readBytes(t.entriesOffset() + n * 16L, 4), 0, s).u32(0);
            Adler32 a = new Adler32();
            a.update(b);
            if (stored != a.getValue()) {
                diagnostics.add(Diagnostic.error(seg.describe(), "EWF2 sector table", t.entriesOffset(),
                        new ChecksumException(s, t.entriesOffset() + n * 16L, "Adler-32", stored, a.getValue())
                                .getMessage() + "; entries used as they are"));
            }
        }
        StructReader r = StructReader.le(b, t.entriesOffset(), s);
        long[][] out = new long[3][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = r.u64(i * 16);
            out[1][i] = r.u32(i * 16 + 8);
            out[2][i] = r.u32(i * 16 + 12);
        }
        return out;
    }

    // ---------------------------------------------------------------- opening

    private static final class Builder {
        final ParseLimits limits;
        final Diagnostics diags;
        final List<ByteSource> sources = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<TableRef> tables = new ArrayList<>();
        final Map<String, String> hashes = new TreeMap<>();
        final List<long[]> errors = new ArrayList<>();
        Map<String, String> device = Map.of();
        Map<String, String> caseData = Map.of();
        int compression;
        UUID setGuid;
        long mediaSize;
        int chunkSize;
        long bytesPerSector;
        boolean logical;

        Builder(ParseLimits limits, Diagnostics diags) {
            this.limits = limits;
            this.diags = diags;
        }

        void walkAll() throws IOException {
            boolean done = false;
            for (int i = 0; i < sources.size() && !done; i++) {
                ByteSource seg = sources.get(i);
                String name = names.get(i);
                byte[] h = seg.readBytes(0, FILE_HEADER_SIZE);
                if (!matches(h)) {
                    throw new BadMagicException("EWF2 file header in " + name, 0, "EVF2\\r\\n\\x81\\0",
                            HexFormat.of().formatHex(h, 0, 8));
                }
                StructReader r = StructReader.le(h, 0, "EWF2 file header in " + name);
                logical = h[0] == 'L';
                if (r.u8(8) != 2) {
                    throw new UnsupportedFormatException("EWF2 file header in " + name, 8,
                            "major version " + r.u8(8) + " (expected 2)");
                }
                int method = r.u16(10);
                if (method > 2) {
                    throw MalformedException.expected("EWF2 file header in " + name, 10, "compression method",
                            "0, 1 or 2", method);
                }
                if (i == 0) {
                    compression = method;
                    setGuid = r.guidMixed(16);
                } else if (!r.guidMixed(16).equals(setGuid)) {
                    throw MalformedException.expected("EWF2 file header in " + name, 16, "set identifier", setGuid,
                            r.guidMixed(16));
                }
                long number = r.u32(12);
                if (number != i + 1) {
                    throw MalformedException.expected("EWF2 file header in " + name, 12, "segment number", i + 1, number);
                }
                List<SectionDescriptor> secs = sections(seg, name);
                for (SectionDescriptor d : secs) {
                    done |= section(i, seg, name, d);
                }
                SectionDescriptor last = secs.isEmpty() ? null : secs.get(secs.size() - 1);
                if (!done && (last == null || last.type() != 0x0d)) {
                    throw new MalformedException("EWF2 segment " + name, seg.size(),
                            "last section is neither 'next' nor 'done'");
                }
                if (done && i + 1 < sources.size()) {
                    for (ByteSource extra : sources.subList(i + 1, sources.size())) {
                        extra.close();
                    }
                    sources.subList(i + 1, sources.size()).clear();
                    names.subList(i + 1, names.size()).clear();
                }
            }
            if (!done) {
                throw new MalformedException("EWF2 segment set", -1, "segment " + (sources.size() + 1)
                        + " is missing: " + names.get(names.size() - 1) + " ends with a 'next' section");
            }
            long spc = num(caseData, "sb", 64);
            bytesPerSector = num(device, "bp", 512);
            long sectors = num(device, "ts", -1);
            if (bytesPerSector <= 0 || bytesPerSector > (1 << 20)) {
                throw MalformedException.expected("EWF2 device information", -1, "bytes per sector", "512, 4096 …",
                        bytesPerSector);
            }
            if (spc <= 0 || spc * bytesPerSector > limits.maxChunkSize()) {
                limits.check("maxChunkSize", Math.max(0, spc * bytesPerSector), "EWF2 case data chunk size", -1);
                throw MalformedException.expected("EWF2 case data", -1, "sectors per chunk", "> 0", spc);
            }
            chunkSize = (int) (spc * bytesPerSector);
            long listed = 0;
            for (TableRef t : tables) {
                listed = Math.max(listed, t.firstChunk() + t.count());
            }
            if (sectors < 0) {
                sectors = listed * spc;
            }
            if (Long.compareUnsigned(sectors, Long.MAX_VALUE / bytesPerSector) > 0) {
                throw MalformedException.expected("EWF2 device information", -1, "sector count", "< 2^63 bytes",
                        Long.toUnsignedString(sectors));
            }
            mediaSize = sectors * bytesPerSector;
            tables.sort(Comparator.comparingLong(TableRef::firstChunk));
            long needed = mediaSize == 0 ? 0 : (mediaSize - 1) / chunkSize + 1;
            if (listed < needed) {
                diags.add(Diagnostic.warning(names.get(0), "EWF2 sector tables", -1, "tables list " + listed
                        + " chunks but the media needs " + needed + "; the rest reads as zeros"));
            }
        }

        private static long num(Map<String, String> m, String k, long dflt) {
            String v = m.get(k);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }

        /** The segment's sections, first to last, found by walking back from the end. */
        List<SectionDescriptor> sections(ByteSource seg, String name) throws IOException {
            List<SectionDescriptor> out = new ArrayList<>();
            long off = seg.size() - DESCRIPTOR_SIZE;
            if (off < FILE_HEADER_SIZE) {
                throw new TruncatedException("EWF2 segment " + name, 0, "file of " + seg.size()
                        + " bytes holds no section");
            }
            long max = seg.size() / DESCRIPTOR_SIZE + 1;
            while (true) {
                if (out.size() > max) {
                    throw new MalformedException("EWF2 segment " + name, off, "section chain does not end");
                }
                byte[] b = seg.readBytes(off, DESCRIPTOR_SIZE);
                String s = "EWF2 section descriptor in " + name;
                StructReader r = StructReader.le(b, off, s);
                Adler32 a = new Adler32();
                a.update(b, 0, 60);
                if (r.u32(60) != a.getValue()) {
                    throw new ChecksumException(s, off, "Adler-32", r.u32(60), a.getValue());
                }
                long prev = r.u64(8);
                long dataSize = r.u64(16);
                long start = prev == 0 ? FILE_HEADER_SIZE : prev + DESCRIPTOR_SIZE;
                if (prev != 0 && (Long.compareUnsigned(prev, off) >= 0 || prev < FILE_HEADER_SIZE)) {
                    throw new MalformedException(s, off, "previous section offset 0x" + Long.toHexString(prev)
                            + " does not lie before this descriptor");
                }
                if (Long.compareUnsigned(dataSize, off - start) > 0) {
                    throw new MalformedException(s, off, "data size " + Long.toUnsignedString(dataSize)
                            + " exceeds the " + (off - start) + " bytes between 0x" + Long.toHexString(start)
                            + " and the descriptor");
                }
                out.add(new SectionDescriptor(r.u32(0), r.u32(4), prev, dataSize, r.u32(28), off, start));
                if (prev == 0) {
                    break;
                }
                off = prev;
            }
            java.util.Collections.reverse(out);
            return out;
        }

        /** Handles one section; returns true for 'done'. */
        boolean section(int segIndex, ByteSource seg, String name, SectionDescriptor d) throws IOException {
            if ((d.dataFlags() & 2) != 0 || d.type() == 0x0b) {
                throw new UnsupportedFormatException("EWF2 section in " + name, d.offset(),
                        "encrypted EWF2 images are not supported");
            }
            long type = d.type();
            if (type == 1 || type == 2) {
                limits.check("maxMetadataSize", d.dataSize(), "EWF2 section in " + name, d.offset());
                byte[] c = seg.readBytes(d.dataOffset(), (int) d.dataSize());
                byte[] t = decompress(c, d, name);
                Map<String, String> v = EwfHeaderValues.parse(EwfHeaderValues.text(t, StandardCharsets.UTF_16LE));
                if (type == 1 && device.isEmpty()) {
                    device = v;
                } else if (type == 2 && caseData.isEmpty()) {
                    caseData = v;
                }
            } else if (type == 4) {
                String s = "EWF2 sector table in " + name;
                if (d.dataSize() < 20) {
                    throw new TruncatedException(s, d.dataOffset(), 20, d.dataSize());
                }
                byte[] h = seg.readBytes(d.dataOffset(), 20);
                StructReader r = StructReader.le(h, d.dataOffset(), s);
                Adler32 a = new Adler32();
                a.update(h, 0, 16);
                if (r.u32(16) != a.getValue()) {
                    throw new ChecksumException(s, d.dataOffset() + 16, "Adler-32", r.u32(16), a.getValue());
                }
                long first = r.u64(0);
                long count = r.u32(8);
                limits.check("maxTableEntries", count, s + " entry count", d.dataOffset() + 8);
                if (32 + 16 * count > d.dataSize()) {
                    throw new MalformedException(s, d.dataOffset(), "entry count " + count + " needs "
                            + (32 + 16 * count) + " bytes but the section holds " + d.dataSize());
                }
                if (first < 0 || Long.MAX_VALUE - first < count) {
                    throw MalformedException.expected(s, d.dataOffset(), "first chunk", "< 2^63", first);
                }
                if (count > 0) {
                    tables.add(new TableRef(segIndex, d.dataOffset() + 32, count, first));
                }
            } else if (type == 5) {
                String s = "EWF2 error table in " + name;
                if (d.dataSize() >= 20) {
                    long n = StructReader.le(seg.readBytes(d.dataOffset(), 4), d.dataOffset(), s).u32(0);
                    limits.check("maxTableEntries", n, s, d.dataOffset());
                    if (32 + 16 * n <= d.dataSize()) {
                        byte[] e = seg.readBytes(d.dataOffset() + 32, (int) (16 * n));
                        StructReader r = StructReader.le(e, d.dataOffset() + 32, s);
                        for (int i = 0; i < n; i++) {
                            errors.add(new long[] {r.u64(i * 16), r.u32(i * 16 + 8)});
                        }
                    }
                }
            } else if (type == 8 && d.dataSize() >= 16) {
                hashes.put("md5", HexFormat.of().formatHex(seg.readBytes(d.dataOffset(), 16)));
            } else if (type == 9 && d.dataSize() >= 20) {
                hashes.put("sha1", HexFormat.of().formatHex(seg.readBytes(d.dataOffset(), 20)));
            }
            return type == 0x0f;
        }

        private byte[] decompress(byte[] c, SectionDescriptor d, String name) throws IOException {
            String s = "EWF2 section 0x" + Long.toHexString(d.type()) + " in " + name;
            if (compression == 2) {
                try (var in = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(
                        new java.io.ByteArrayInputStream(c))) {
                    byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxMetadataSize()));
                    return out;
                } catch (IOException e) {
                    throw new MalformedException(s, d.dataOffset(), "bzip2: " + e.getMessage(), e);
                }
            }
            if (c.length >= 2 && (c[0] & 0x0f) == 8 && ((c[0] & 0xff) << 8 | (c[1] & 0xff)) % 31 == 0) {
                return EwfHeaderValues.inflate(c, d.dataOffset(), s, limits);
            }
            return c;
        }

        Map<String, String> metadata() {
            Map<String, String> m = new TreeMap<>(EwfHeaderValues.toMetadata(caseData));
            putIf(m, "model", device.get("md"));
            putIf(m, "serial", device.get("sn"));
            String dt = device.get("dt");
            if (dt != null) {
                m.put("mediaType", switch (dt.trim()) {
                    case "a" -> "RAM disk";
                    case "c" -> "optical disk";
                    case "f" -> "fixed disk";
                    case "l" -> "logical";
                    case "m" -> "memory";
                    case "p" -> "PALM";
                    case "r" -> "removable disk";
                    default -> dt.trim();
                });
            }
            m.put("software", "EnCase 7 (EWF2)");
            m.put("compression", switch (compression) {
                case 0 -> "none";
                case 1 -> "deflate";
                default -> "bzip2";
            });
            return m;
        }

        private static void putIf(Map<String, String> m, String k, String v) {
            if (v != null && !v.isBlank()) {
                m.put(k, v);
            }
        }

        Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("fileFormat", logical ? "EWF2-Lx01" : "EWF2-Ex01");
            d.put("chunkSize", chunkSize);
            d.put("chunkCount", mediaSize == 0 ? 0 : (mediaSize - 1) / chunkSize + 1);
            d.put("sectorsPerChunk", chunkSize / bytesPerSector);
            d.put("sectorCount", mediaSize / bytesPerSector);
            d.put("isPhysical", "1".equals(device.getOrDefault("ph", "").trim()));
            if (setGuid != null) {
                d.put("setGuid", setGuid.toString());
            }
            List<Map<String, Object>> errs = new ArrayList<>();
            for (long[] e : errors) {
                Map<String, Object> m = new TreeMap<>();
                m.put("firstSector", e[0]);
                m.put("sectorCount", e[1]);
                errs.add(m);
            }
            d.put("errorRanges", errs);
            return d;
        }
    }
}
