package io.vestige.format.ewf;

import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Adler32;

/**
 * An EWF1 segment set (E01/S01/L01 from EnCase 1-7, FTK Imager, SMART, linen, libewf/ewfx) opened
 * for reading, per libyal "Expert Witness Compression Format (EWF)". Opening walks every segment's
 * section chain (Adler-32 checked) and records where each table is; table entries are read lazily
 * and cached, so memory does not grow with the media size.
 */
public final class EwfImage extends EwfMedia {
    /** One {@code error2} entry: sectors that could not be read at acquisition and were zero-filled. */
    public record ErrorRange(long firstSector, long sectorCount) {
    }

    /** A {@code table} section (and its {@code table2} mirror) and the chunks it lists. */
    record TableRef(int segment, EwfSectionDescriptor table, EwfSectionDescriptor table2, long count, long base,
                    long firstChunk) {
    }

    private final EwfVolume volume;
    private final List<TableRef> tables;
    private final Map<String, String> headerValues;
    private final Map<String, String> storedHashes;
    private final List<ErrorRange> errors;
    private final List<String> sectionTypes;
    private final String fileFormat;
    private final ParseLimits limits;
    private final Map<Integer, ResolvedTable> tableCache = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ResolvedTable> eldest) {
            return size() > 16;
        }
    };

    private EwfImage(Builder b, Diagnostics d) {
        super(b.sources, b.names, b.mediaSize(), (int) b.volume.chunkSize(), d);
        this.volume = b.volume;
        this.tables = List.copyOf(b.tables);
        this.headerValues = b.header2 != null ? b.header2 : b.header != null ? b.header : Map.of();
        this.storedHashes = new TreeMap<>(b.hashes);
        this.errors = List.copyOf(b.errors);
        this.sectionTypes = List.copyOf(b.sectionTypes);
        this.fileFormat = b.fileFormat();
        this.limits = b.limits;
    }

    /** True when the bytes start with an EWF1 segment signature. */
    public static boolean matches(byte[] head) {
        return EwfFileHeader.matches(head);
    }

    /** Opens the set {@code file} belongs to (any segment name works; segment 1 must exist). */
    public static EwfImage open(Path file, ParseLimits limits, Diagnostics diagnostics) throws IOException {
        List<Path> paths = EwfSegmentNames.discover(file, limits.maxSegments());
        Builder b = new Builder(limits, diagnostics);
        try {
            for (Path p : paths) {
                ByteSource s = ByteSources.open(p);
                b.sources.add(s);
                b.names.add(p.getFileName().toString());
            }
            b.walkAll();
            return new EwfImage(b, diagnostics);
        } catch (IOException | RuntimeException e) {
            for (ByteSource s : b.sources) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // reporting the original failure matters more
                }
            }
            throw e;
        }
    }

    /** Opens a set whose segments are already available as sources (tests, nested evidence). */
    public static EwfImage open(List<ByteSource> segments, List<String> names, ParseLimits limits,
                                Diagnostics diagnostics) throws IOException {
        Builder b = new Builder(limits, diagnostics);
        b.sources.addAll(segments);
        b.names.addAll(names);
        b.walkAll();
        return new EwfImage(b, diagnostics);
    }

    public EwfVolume volume() {
        return volume;
    }

    public List<String> segmentNames() {
        return List.copyOf(segmentNames);
    }

    /** Raw key/value pairs of the {@code header2} section (or {@code header} when there is no header2). */
    public Map<String, String> headerValues() {
        return headerValues;
    }

    /** {@code md5} and/or {@code sha1} from the {@code hash}, {@code digest} and {@code xhash} sections, lower-case hex. */
    public Map<String, String> storedHashes() {
        return storedHashes;
    }

    public List<ErrorRange> errorRanges() {
        return errors;
    }

    /** Section types in the order they were met across the segments (the first 10,000). */
    public List<String> sectionTypes() {
        return sectionTypes;
    }

    /** Writer family as far as the sections tell it ({@code EnCase 6}, {@code FTK Imager}, {@code SMART} …). */
    public String fileFormat() {
        return fileFormat;
    }

    /** Number of table entries read from the section chain. */
    public long tableEntryCount() {
        return tables.isEmpty() ? 0 : tables.get(tables.size() - 1).firstChunk() + tables.get(tables.size() - 1).count();
    }

    // ---------------------------------------------------------------- chunk location

    /** The decoded entries of one table: absolute offset, stored size, flags (or a problem) per chunk. */
    record ResolvedTable(long[] offsets, long[] sizes, byte[] flags, String[] problems) {
    }

    @Override
    ChunkLocation locate(long index) throws IOException {
        int lo = 0;
        int hi = tables.size() - 1;
        if (hi < 0 || index >= tableEntryCount()) {
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
        ResolvedTable r;
        synchronized (tableCache) {
            r = tableCache.get(lo);
        }
        if (r == null) {
            r = resolve(t);
            synchronized (tableCache) {
                tableCache.put(lo, r);
            }
        }
        int i = (int) (index - t.firstChunk());
        return new ChunkLocation(t.segment(), r.offsets[i], r.sizes[i], r.flags[i], 0, r.problems[i]);
    }

    private ResolvedTable resolve(TableRef t) throws IOException {
        ByteSource seg = segments.get(t.segment());
        int n = (int) t.count();
        byte[] entries = null;
        ParseException firstError = null;
        for (EwfSectionDescriptor d : new EwfSectionDescriptor[] {t.table(), t.table2()}) {
            if (d == null) {
                continue;
            }
            try {
                entries = readEntries(seg, d, n);
                if (d == t.table2() && firstError != null) {
                    diagnostics.add(Diagnostic.warning(segmentNames.get(t.segment()), "EWF table", t.table().offset(),
                            firstError.getMessage() + "; using table2 @ 0x" + Long.toHexString(d.offset())));
                }
                break;
            } catch (ParseException e) {
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (entries == null) {
            // both copies fail their checksum: use the first one's bytes anyway, flagged (libewf calls them tainted)
            EwfSectionDescriptor d = t.table() != null ? t.table() : t.table2();
            long need = Math.multiplyExact(4L, n);
            if (d.dataSize() < 24 + need) {
                throw firstError;
            }
            entries = seg.readBytes(d.dataOffset() + 24, (int) need);
            diagnostics.add(Diagnostic.error(segmentNames.get(t.segment()), "EWF table", d.offset(),
                    firstError.getMessage() + "; no intact copy, entries used as they are"));
        }
        return resolveEntries(entries, n, t.base(), t.table(), t.table2());
    }

    /**
     * Turns raw table entries into chunk locations: bit 31 is the compressed flag, sizes come from
     * offset deltas, and the last chunk ends where its data area ends (libewf's rules: before a
     * {@code table} that follows the data, before the {@code table} mirrored by a {@code table2},
     * or at the end of a SMART/EnCase 1 table that holds the chunks). Once an offset plus size passes
     * 2 GiB (EnCase 6.7.1 sectors sections), later entries are full 32-bit offsets of stored chunks.
     */
    static ResolvedTable resolveEntries(byte[] entries, int n, long base, EwfSectionDescriptor table,
                                        EwfSectionDescriptor table2) throws IOException {
        long[] offs = new long[n];
        long[] sizes = new long[n];
        byte[] flags = new byte[n];
        String[] problems = new String[n];
        StructReader r = StructReader.le(entries, 0, "EWF table entries");
        boolean overflow = false;
        for (int i = 0; i < n; i++) {
            long stored = r.u32(i * 4);
            boolean compressed;
            long cur;
            if (!overflow) {
                compressed = (stored & 0x80000000L) != 0;
                cur = stored & 0x7fffffffL;
            } else {
                compressed = false;
                cur = stored;
            }
            long size;
            if (i + 1 < n) {
                long nextStored = r.u32((i + 1) * 4);
                long next = overflow ? nextStored : nextStored & 0x7fffffffL;
                if (next < cur) {
                    // EnCase 6.7.1 wrote sectors sections over 2 GiB: the offset spills into bit 31
                    size = nextStored - cur;
                    if (nextStored < cur) {
                        problems[i] = "table entry offset 0x" + Long.toHexString(cur) + " is past the next entry's";
                    }
                } else {
                    size = next - cur;
                }
                if (!overflow && cur + size > 0x7fffffffL) {
                    overflow = true;
                }
            } else {
                long abs = base + cur;
                long end;
                EwfSectionDescriptor tab = table;
                if (tab == null) {
                    end = table2.offset() - table2.size();
                } else if (abs < tab.offset()) {
                    end = tab.offset();
                } else {
                    end = tab.offset() + tab.size();
                }
                size = end - abs;
            }
            offs[i] = base + cur;
            sizes[i] = size;
            flags[i] = (byte) (compressed ? F_COMPRESSED : F_CHECKSUM);
            if (problems[i] == null && (size <= 0 || size > Integer.MAX_VALUE)) {
                problems[i] = "table entry gives chunk size " + size;
            }
        }
        return new ResolvedTable(offs, sizes, flags, problems);
    }

    private byte[] readEntries(ByteSource seg, EwfSectionDescriptor d, int n) throws IOException {
        String s = "EWF " + d.type() + " in " + seg.describe();
        long need = 24 + 4L * n;
        if (d.dataSize() < need) {
            throw new TruncatedException(s, d.offset(), need, d.dataSize());
        }
        byte[] entries = seg.readBytes(d.dataOffset() + 24, 4 * n);
        if (d.dataSize() >= need + 4) {
            byte[] foot = seg.readBytes(d.dataOffset() + need, 4);
            long stored = StructReader.le(foot, 0, s).u32(0);
            Adler32 a = new Adler32();
            a.update(entries);
            // SMART and EnCase 1 have no entry checksum; their chunks follow directly. Only a
            // mismatch in a layout that does carry one is an error.
            if (stored != a.getValue() && d.dataSize() == need + 4) {
                throw new ChecksumException(s, d.dataOffset() + need, "Adler-32", stored, a.getValue());
            }
        }
        return entries;
    }

    // ---------------------------------------------------------------- opening

    private static final class Builder {
        final ParseLimits limits;
        final Diagnostics diags;
        final List<ByteSource> sources = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<TableRef> tables = new ArrayList<>();
        final Map<String, String> hashes = new TreeMap<>();
        final List<ErrorRange> errors = new ArrayList<>();
        final List<String> sectionTypes = new ArrayList<>();
        EwfVolume volume;
        Map<String, String> header2;
        Map<String, String> header;
        boolean sawHeader2;
        boolean sawXheader;
        long nextChunk;
        /** Set when a segment file ends before its section chain does (the set was cut short). */
        TruncatedException truncation;

        Builder(ParseLimits limits, Diagnostics diags) {
            this.limits = limits;
            this.diags = diags;
        }

        /** Writer family from the section set and header keys (libyal EWF "format variants"). */
        String fileFormat() {
            if (volume != null && volume.smart()) {
                return volume.smartSignature() ? "SMART" : "EnCase 1";
            }
            if (sawXheader) {
                return "EWFX";
            }
            Map<String, String> h = header2 != null ? header2 : header;
            String av = h != null ? h.get("av") : null;
            if (av != null && av.startsWith("ADI")) {
                return "FTK Imager";
            }
            if (header2 != null) {
                if (header2.containsKey("md") || header2.containsKey("sn")) {
                    return "EnCase 6";
                }
                return header2.containsKey("dc") ? "EnCase 5" : "EnCase 4";
            }
            if (header != null && !header.isEmpty() && header.keySet().iterator().next().equals("a")) {
                return header.containsKey("md") ? "linen 6" : "linen 5";
            }
            return "EnCase 2/3";
        }

        /**
         * The media length exposed: the volume's, or for a cut-short set only the chunks whose table
         * entries survived (the chunks of a lost table cannot be located).
         */
        long mediaSize() {
            if (truncation == null) {
                return volume.mediaSize();
            }
            return Math.min(volume.mediaSize(), Math.multiplyExact(nextChunk, volume.chunkSize()));
        }

        /** The key metadata read before a cut, for a message the examiner can use without the media. */
        String salvagedSummary() {
            Map<String, String> h = header2 != null ? header2 : header != null ? header : Map.of();
            Map<String, String> md = EwfHeaderValues.toMetadata(h);
            StringBuilder sb = new StringBuilder();
            sb.append("case number ").append(quoted(md.get("caseNumber")));
            sb.append(", evidence number ").append(quoted(md.get("evidenceNumber")));
            sb.append(", acquisition date ").append(md.getOrDefault("acquisitionDate", "(not read)"));
            sb.append(", media size ").append(volume == null ? "(not read)"
                    : volume.mediaSize() + " bytes (" + volume.sectorCount() + " sectors)");
            if (md.containsKey("examiner")) {
                sb.append(", examiner ").append(quoted(md.get("examiner")));
            }
            return sb.toString();
        }

        private static String quoted(String v) {
            return v == null ? "(not read)" : "'" + v + "'";
        }

        void walkAll() throws IOException {
            if (sources.isEmpty()) {
                throw new MalformedException("EWF segment set", -1, "no segment files");
            }
            boolean ended = false;
            for (int i = 0; i < sources.size(); i++) {
                ByteSource seg = sources.get(i);
                EwfFileHeader fh = EwfFileHeader.read(seg);
                if (fh.segmentNumber() != i + 1) {
                    throw MalformedException.expected("EWF file header in " + names.get(i), 9, "segment number", i + 1,
                            fh.segmentNumber());
                }
                String last;
                try {
                    last = walk(i, seg);
                } catch (TruncatedException e) {
                    // a cut-short segment: keep what was read before the cut; later files cannot be
                    // chained (their chunk numbers depend on the lost tables)
                    truncation = e;
                    if (i + 1 < sources.size()) {
                        for (ByteSource extra : sources.subList(i + 1, sources.size())) {
                            extra.close();
                        }
                        sources.subList(i + 1, sources.size()).clear();
                        names.subList(i + 1, names.size()).clear();
                    }
                    break;
                }
                if (last.equals("done")) {
                    ended = true;
                    if (i + 1 < sources.size()) {
                        diags.add(Diagnostic.warning(names.get(i), "EWF segment set", -1, "segment " + (i + 1)
                                + " ends the set with 'done'; later files " + names.subList(i + 1, names.size())
                                + " ignored"));
                        for (ByteSource extra : sources.subList(i + 1, sources.size())) {
                            extra.close();
                        }
                        sources.subList(i + 1, sources.size()).clear();
                        names.subList(i + 1, names.size()).clear();
                    }
                    break;
                }
                if (!last.equals("next") && i + 1 < sources.size()) {
                    throw new MalformedException("EWF segment " + names.get(i), seg.size(),
                            "section chain ends without 'next' or 'done' (last '" + last + "')");
                }
            }
            if (truncation != null) {
                salvageTruncated();
                return;
            }
            if (!ended) {
                String lastName = names.get(names.size() - 1);
                throw new MalformedException("EWF segment set", -1, "segment " + (sources.size() + 1)
                        + " is missing: " + lastName + " ends with a 'next' section (or is cut short) and no further"
                        + " segment file was found beside it");
            }
            if (volume == null) {
                throw new MalformedException("EWF segment " + names.get(0), EwfFileHeader.SIZE,
                        "no volume/disk section found");
            }
            if (volume.chunkSize() > limits.maxChunkSize()) {
                limits.check("maxChunkSize", volume.chunkSize(), "EWF volume chunk size", EwfFileHeader.SIZE);
            }
            long needed = volume.mediaSize() == 0 ? 0 : (volume.mediaSize() - 1) / volume.chunkSize() + 1;
            if (nextChunk < needed) {
                diags.add(Diagnostic.warning(names.get(0), "EWF tables", -1, "tables list " + nextChunk
                        + " chunks but the media needs " + needed + " (" + volume.sectorCount()
                        + " sectors); the rest reads as zeros"));
            } else if (nextChunk > needed) {
                diags.add(Diagnostic.info(names.get(0), "EWF tables", -1, "tables list " + nextChunk
                        + " chunks, the media needs " + needed + "; extra entries ignored"));
            }
        }

        /**
         * A cut-short set: with a volume section and at least one surviving table, the set opens with an
         * ERROR diagnostic and media limited to the located chunks; otherwise it fails with the
         * metadata that could be read, so the examiner still learns what the image was.
         */
        private void salvageTruncated() throws IOException {
            TruncatedException e = truncation;
            String seg = names.get(names.size() - 1);
            long fileSize = sources.get(sources.size() - 1).size();
            String where = "segment " + seg + " ends at byte offset " + fileSize + " (0x" + Long.toHexString(fileSize)
                    + ")";
            if (volume == null || tables.isEmpty() || diags.strict()) {
                throw new TruncatedException("EWF segment set", e.offset(), "image is truncated: " + where
                        + (volume == null || tables.isEmpty() ? " and no " + (volume == null ? "volume section"
                        : "chunk table") + " survives before the cut, so no media can be read"
                        : " (strict mode refuses partial media)") + "; metadata read: " + salvagedSummary()
                        + " (" + e.getMessage() + ")");
            }
            if (volume.chunkSize() > limits.maxChunkSize()) {
                limits.check("maxChunkSize", volume.chunkSize(), "EWF volume chunk size", EwfFileHeader.SIZE);
            }
            long limited = mediaSize();
            String media = limited < volume.mediaSize()
                    ? "only the first " + nextChunk + " chunks are located by surviving tables, so the media is "
                    + "limited to " + limited + " of " + volume.mediaSize() + " bytes"
                    : "every chunk table survives, but the sections after the cut (stored hashes, error list, "
                    + "'done') are lost";
            diags.add(Diagnostic.error(seg, "EWF segment set", e.offset(), "image is truncated: " + where
                    + "; " + media + "; " + salvagedSummary() + " (" + e.getMessage() + ")"));
        }

        /** Walks one segment's section chain; returns the type of the last section. */
        String walk(int segIndex, ByteSource seg) throws IOException {
            String name = names.get(segIndex);
            long size = seg.size();
            long off = EwfFileHeader.SIZE;
            long maxSections = size / EwfSectionDescriptor.SIZE + 1;
            String lastType = "";
            TableRef pendingTable = null;
            for (long count = 0; ; count++) {
                if (count > maxSections) {
                    throw new MalformedException("EWF segment " + name, off, "section chain does not end");
                }
                if (off + EwfSectionDescriptor.SIZE > size) {
                    throw new TruncatedException("EWF segment " + name, off, "segment file is truncated: section "
                            + "descriptor expected at 0x" + Long.toHexString(off) + " but the file has " + size
                            + " bytes (after a '" + lastType + "' section)");
                }
                EwfSectionDescriptor d = EwfSectionDescriptor.read(seg, off);
                String type = d.type();
                lastType = type;
                if (sectionTypes.size() < 10_000) {
                    sectionTypes.add(type);
                }
                if (Long.compareUnsigned(d.size(), size - off) > 0 && !type.equals("next") && !type.equals("done")) {
                    throw new TruncatedException("EWF " + type + " section in " + name, off, "section claims "
                            + Long.toUnsignedString(d.size()) + " bytes but only " + (size - off)
                            + " remain: segment file is truncated");
                }
                switch (type) {
                    case "header2" -> {
                        Map<String, String> v = headerSection(seg, d, true);
                        if (header2 == null) {
                            header2 = v;
                        }
                        sawHeader2 = true;
                    }
                    case "header" -> {
                        Map<String, String> v = headerSection(seg, d, false);
                        if (header == null) {
                            header = v;
                        }
                    }
                    case "xheader" -> {
                        sawXheader = true;
                        byte[] x = sectionData(seg, d, "maxMetadataSize");
                        String xml = new String(EwfHeaderValues.inflate(x, d.dataOffset(), "EWF xheader in " + name,
                                limits), StandardCharsets.UTF_8);
                        if (header2 == null && header == null) {
                            header = xmlValues(xml);
                        }
                    }
                    case "volume", "disk" -> {
                        if (volume == null) {
                            if (d.dataSize() < 94) {
                                throw new MalformedException("EWF " + type + " section in " + name, off,
                                        "data of " + d.dataSize() + " bytes is too small");
                            }
                            byte[] v = seg.readBytes(d.dataOffset(), (int) Math.min(d.dataSize(), 1052));
                            volume = EwfVolume.parse(v, d.dataOffset(), name);
                        }
                    }
                    case "data" -> {
                        if (volume == null && d.dataSize() >= 1052) {
                            volume = EwfVolume.parse(seg.readBytes(d.dataOffset(), 1052), d.dataOffset(), name);
                        }
                    }
                    case "table" -> pendingTable = table(segIndex, seg, d, null);
                    case "table2" -> {
                        if (pendingTable != null && pendingTable.table2() == null) {
                            TableRef t = new TableRef(pendingTable.segment(), pendingTable.table(), d,
                                    pendingTable.count(), pendingTable.base(), pendingTable.firstChunk());
                            tables.set(tables.size() - 1, t);
                            pendingTable = null;
                        } else {
                            pendingTable = null;
                            table(segIndex, seg, null, d);
                        }
                    }
                    case "sectors" -> pendingTable = null;
                    case "hash" -> {
                        if (d.dataSize() >= 16) {
                            byte[] h = seg.readBytes(d.dataOffset(), 16);
                            if (!allZero(h)) {
                                hashes.putIfAbsent("md5", HexFormat.of().formatHex(h));
                            }
                        }
                    }
                    case "digest" -> {
                        if (d.dataSize() >= 36) {
                            byte[] h = seg.readBytes(d.dataOffset(), 36);
                            byte[] md5 = java.util.Arrays.copyOfRange(h, 0, 16);
                            byte[] sha1 = java.util.Arrays.copyOfRange(h, 16, 36);
                            if (!allZero(md5)) {
                                hashes.put("md5", HexFormat.of().formatHex(md5));
                            }
                            if (!allZero(sha1)) {
                                hashes.put("sha1", HexFormat.of().formatHex(sha1));
                            }
                        }
                    }
                    case "xhash" -> {
                        byte[] x = sectionData(seg, d, "maxMetadataSize");
                        String xml = new String(EwfHeaderValues.inflate(x, d.dataOffset(), "EWF xhash in " + name,
                                limits), StandardCharsets.UTF_8);
                        Map<String, String> v = new TreeMap<>();
                        xmlValues(xml).forEach((k, val) -> v.put(k.toLowerCase(java.util.Locale.ROOT), val.trim()));
                        if (v.containsKey("md5")) {
                            hashes.putIfAbsent("md5", v.get("md5").toLowerCase(java.util.Locale.ROOT));
                        }
                        if (v.containsKey("sha1")) {
                            hashes.putIfAbsent("sha1", v.get("sha1").toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                    case "error2" -> error2(seg, d, name);
                    default -> {
                        // session, ltree, ltypes, incomplete, next, done: nothing needed for the media
                    }
                }
                long next = d.nextOffset();
                if (next == off || type.equals("done") || type.equals("next")) {
                    return type;
                }
                if (Long.compareUnsigned(next, off) < 0) {
                    throw new MalformedException("EWF " + type + " section in " + name, off,
                            "next section offset 0x" + Long.toHexString(next) + " points backwards");
                }
                if (Long.compareUnsigned(next, size) >= 0) {
                    throw new TruncatedException("EWF " + type + " section in " + name, off, "next section at 0x"
                            + Long.toHexString(next) + " lies beyond the end of the file (" + size
                            + " bytes): segment file is truncated");
                }
                off = next;
            }
        }

        private TableRef table(int segIndex, ByteSource seg, EwfSectionDescriptor tab, EwfSectionDescriptor tab2)
                throws IOException {
            EwfSectionDescriptor d = tab != null ? tab : tab2;
            String s = "EWF " + d.type() + " section in " + names.get(segIndex);
            if (d.dataSize() < 24) {
                throw new TruncatedException(s, d.offset(), 24, d.dataSize());
            }
            byte[] h = seg.readBytes(d.dataOffset(), 24);
            StructReader r = StructReader.le(h, d.dataOffset(), s);
            Adler32 a = new Adler32();
            a.update(h, 0, 20);
            long count = r.u32(0);
            long base = r.u64(8);
            if (r.u32(20) != a.getValue()) {
                diags.add(Diagnostic.warning(names.get(segIndex), "EWF table", d.offset(),
                        new ChecksumException(s, d.dataOffset() + 20, "Adler-32", r.u32(20), a.getValue()).getMessage()
                                + "; header used as it is"));
            }
            limits.check("maxTableEntries", count, s + " entry count", d.dataOffset());
            if (24 + 4 * count > d.dataSize()) {
                throw new MalformedException(s, d.dataOffset(), "entry count " + count + " needs "
                        + (24 + 4 * count) + " bytes but the section holds " + d.dataSize());
            }
            if (base < 0 || base > seg.size()) {
                throw new MalformedException(s, d.dataOffset() + 8, "base offset 0x" + Long.toHexString(base)
                        + " lies beyond the segment file (" + seg.size() + " bytes)");
            }
            TableRef t = new TableRef(segIndex, tab, tab2, count, base, nextChunk);
            nextChunk += count;
            if (count > 0) {
                tables.add(t);
            }
            return count > 0 ? t : null;
        }

        private Map<String, String> headerSection(ByteSource seg, EwfSectionDescriptor d, boolean utf16)
                throws IOException {
            String s = "EWF " + d.type() + " section in " + seg.describe();
            byte[] c = sectionData(seg, d, "maxMetadataSize");
            byte[] t = EwfHeaderValues.inflate(c, d.dataOffset(), s, limits);
            String text = EwfHeaderValues.text(t, utf16 ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
            return EwfHeaderValues.parse(text);
        }

        private byte[] sectionData(ByteSource seg, EwfSectionDescriptor d, String limit) throws IOException {
            limits.check(limit, d.dataSize(), "EWF " + d.type() + " section in " + seg.describe(), d.offset());
            return seg.readBytes(d.dataOffset(), (int) d.dataSize());
        }

        private void error2(ByteSource seg, EwfSectionDescriptor d, String name) throws IOException {
            String s = "EWF error2 section in " + name;
            if (d.dataSize() < 520) {
                diags.add(Diagnostic.warning(name, "EWF error2", d.offset(), s + " is too small"));
                return;
            }
            long n = StructReader.le(seg.readBytes(d.dataOffset(), 4), d.dataOffset(), s).u32(0);
            limits.check("maxTableEntries", n, s + " entry count", d.dataOffset());
            if (520 + 8 * n > d.dataSize()) {
                throw new MalformedException(s, d.dataOffset(), "entry count " + n + " does not fit in "
                        + d.dataSize() + " bytes");
            }
            byte[] e = seg.readBytes(d.dataOffset() + 520, (int) (8 * n));
            StructReader r = StructReader.le(e, d.dataOffset() + 520, s);
            for (int i = 0; i < n; i++) {
                errors.add(new ErrorRange(r.u32(i * 8), r.u32(i * 8 + 4)));
            }
        }

        private static boolean allZero(byte[] b) {
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Flat tag to text values of a small XML document (xheader, xhash). */
        private static Map<String, String> xmlValues(String xml) {
            Map<String, String> m = new LinkedHashMap<>();
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("<([A-Za-z0-9_]+)>([^<]*)</\\1>").matcher(xml);
            while (mt.find()) {
                String k = switch (mt.group(1)) {
                    case "case_number" -> "c";
                    case "description" -> "a";
                    case "examiner_name" -> "e";
                    case "evidence_number" -> "n";
                    case "notes" -> "t";
                    case "acquiry_operating_system" -> "ov";
                    case "acquiry_software_version" -> "av";
                    case "model" -> "md";
                    case "serial_number" -> "sn";
                    default -> mt.group(1);
                };
                m.putIfAbsent(k, mt.group(2));
            }
            return m;
        }
    }
}
