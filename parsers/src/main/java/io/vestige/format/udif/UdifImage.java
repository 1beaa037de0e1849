package io.vestige.format.udif;

import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ChecksumException;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A UDIF disk image (.dmg): the koly trailer, the blkx tables (from the XML plist, or from the
 * classic resource fork of old images), optional segments ({@code name.dmg} + {@code name.NNN.dmgpart}),
 * and the decoded media as a {@link ChunkedByteSource}. Sectors no table covers read as zeros.
 * Reference: FORMATS.md §2 (koly §2.1, blkx §2.2, pitfalls §2.4).
 */
public final class UdifImage implements Closeable {
    /** Bytes per UDIF sector. */
    public static final int SECTOR = 512;
    /** Amount of decoded chunks kept for random reads. */
    static final long CACHE_BYTES = 64L << 20;

    /** Opens segment {@code number} (2..count) of a segmented image, or returns {@code null} if it is missing. */
    @FunctionalInterface
    public interface SegmentOpener {
        ByteSource open(int number) throws IOException;
    }

    /** The outcome of one stored checksum. {@code computed}/{@code ok} are null when it was not verified. */
    public record ChecksumResult(String scope, String type, String stored, String computed, Boolean ok) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scope", scope);
            m.put("type", type);
            m.put("stored", stored);
            m.put("computed", computed);
            m.put("ok", ok);
            return m;
        }
    }

    private final String name;
    private final Koly koly;
    private final List<Koly> segmentKolys;
    private final List<BlkxTable> tables;
    private final String tableSource;
    private final UdifMedia media;
    private final List<ByteSource> owned;
    private final List<ByteSource> segmentFiles;
    private final Diagnostics diagnostics;
    private int threads = 1;
    private boolean rebuiltFromPlist;
    private final List<Diagnostic> own = new ArrayList<>();
    private final List<ChecksumResult> checksums = new ArrayList<>();

    private UdifImage(String name, Koly koly, List<Koly> segmentKolys, List<BlkxTable> tables, String tableSource,
                      UdifMedia media, List<ByteSource> segmentFiles, List<ByteSource> owned, Diagnostics diagnostics) {
        this.name = name;
        this.koly = koly;
        this.segmentKolys = segmentKolys;
        this.tables = tables;
        this.tableSource = tableSource;
        this.media = media;
        this.segmentFiles = segmentFiles;
        this.owned = owned;
        this.diagnostics = diagnostics;
    }

    private static boolean hasKoly(ByteSource file) throws IOException {
        if (file.size() < Koly.SIZE) {
            return false;
        }
        return Koly.looksLike(file.readBytes(file.size() - Koly.SIZE, Koly.SIZE))
                || Koly.looksLike(file.readBytes(0, Koly.SIZE));
    }

    /** Finds the koly block: the last 512 bytes, else the first 512 (some writers put it first). */
    public static Koly findKoly(ByteSource file) throws IOException {
        if (file.size() < Koly.SIZE) {
            throw new TruncatedException("UDIF koly", 0, Koly.SIZE, file.size());
        }
        long tailAt = file.size() - Koly.SIZE;
        byte[] tail = file.readBytes(tailAt, Koly.SIZE);
        if (Koly.looksLike(tail)) {
            return Koly.parse(tail, tailAt);
        }
        byte[] head = file.readBytes(0, Koly.SIZE);
        if (Koly.looksLike(head)) {
            return Koly.parse(head, 0);
        }
        return Koly.parse(tail, tailAt); // throws with what the tail holds
    }

    /**
     * Opens an image. {@code file} is the first (or only) segment; the image does not close it unless
     * {@code ownFile}. Further segments come from {@code segments} and are closed with the image.
     */
    public static UdifImage open(ByteSource file, boolean ownFile, String name, SegmentOpener segments,
                                 OpenOptions options) throws IOException {
        ParseLimits limits = options.limits();
        Diagnostics diags = options.diagnostics();
        List<ByteSource> owned = new ArrayList<>();
        if (ownFile) {
            owned.add(file);
        }
        boolean rebuilt = false;
        try {
            Koly koly;
            TruncatedUdif.Plist plist = null;
            if (!hasKoly(file) && !diags.strict() && (plist = TruncatedUdif.locate(file, limits)) != null) {
                koly = TruncatedUdif.standIn(file.size(), plist);
                rebuilt = true;
            } else if (!hasKoly(file) && file.size() >= Koly.SIZE && TruncatedUdif.looksLike(
                    file.readAtMost(Math.max(0, file.size() - TruncatedUdif.PROBE_TAIL),
                            (int) Math.min(TruncatedUdif.PROBE_TAIL, file.size())), name)) {
                throw new TruncatedException("UDIF image", file.size(), TruncatedUdif.missingTrailer(file.size())
                        + "; the image cannot be decoded reliably" + (diags.strict() ? "" : " (its XML plist is cut short"
                        + " too)") + " — obtain a complete copy");
            } else {
                koly = findKoly(file);
            }
            List<Koly> kolys = new ArrayList<>();
            kolys.add(koly);
            List<ByteSource> files = new ArrayList<>();
            files.add(file);
            ByteSource dataSpace = dataSpace(file, koly, name, segments, limits, kolys, files, owned, diags);

            String source;
            List<BlkxTable> tables;
            if (koly.xmlLength() != 0) {
                tables = tablesFromXml(file, koly, limits);
                source = "xml plist";
            } else if (koly.rsrcForkLength() != 0) {
                tables = tablesFromResourceFork(file, koly, limits);
                source = "resource fork";
            } else {
                throw new UnsupportedFormatException("UDIF koly", koly.offset(),
                        "image has neither an XML plist nor a resource fork with blkx tables (a UDIF stub?)");
            }
            if (tables.isEmpty()) {
                throw new MalformedException("UDIF blkx", koly.offset(), "no blkx tables");
            }
            UdifMedia media = buildMedia(dataSpace, name, koly, tables, limits, diags);
            UdifImage img = new UdifImage(name, koly, List.copyOf(kolys), List.copyOf(tables), source, media,
                    List.copyOf(files), owned, diags);
            img.threads = options.threads();
            if (rebuilt) {
                img.rebuiltFromPlist = true;
                Diagnostic w = Diagnostic.warning(name, "UDIF koly", koly.offset(), TruncatedUdif.missingTrailer(
                        file.size()) + "; the " + tables.size() + " blkx tables were rebuilt from the XML plist at offset "
                        + plist.offset() + " (" + plist.length() + " bytes), taking the data fork as bytes 0-"
                        + plist.offset() + " as hdiutil lays it out; the data fork and master checksums were lost with "
                        + "the trailer, per-table checksums are still checked — prefer a complete copy");
                diags.add(w);
                img.own.add(w);
            }
            img.checkChecksums(options.setting("udif.verify"));
            return img;
        } catch (IOException | RuntimeException e) {
            for (ByteSource s : owned) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            if (rebuilt && (e instanceof ParseException || e instanceof ArithmeticException)) {
                // the stand-in trailer's assumptions did not hold: say what is really wrong with the file
                throw new TruncatedException("UDIF image", file.size(), TruncatedUdif.missingTrailer(file.size())
                        + "; the image cannot be decoded reliably — obtain a complete copy (rebuilding the tables from"
                        + " the XML plist failed: " + e.getMessage() + ")");
            }
            if (e instanceof ArithmeticException) {
                throw new MalformedException("UDIF image", -1, "offset or size overflows: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static ByteSource dataSpace(ByteSource file, Koly koly, String name, SegmentOpener segments,
                                        ParseLimits limits, List<Koly> kolys, List<ByteSource> files,
                                        List<ByteSource> owned, Diagnostics diags) throws IOException {
        long count = koly.segmentCount();
        if (count > 1 && koly.segmentNumber() != 1) {
            throw new UnsupportedFormatException("UDIF koly", koly.offset(), "this file is segment "
                    + koly.segmentNumber() + " of " + count + "; open the first segment (.dmg)");
        }
        if (Long.compareUnsigned(koly.dataForkOffset(), file.size()) > 0) {
            throw new MalformedException("UDIF koly", koly.offset(), "data fork offset " + Long.toUnsignedString(koly.dataForkOffset())
                    + " is outside the " + file.size() + "-byte file");
        }
        if (count <= 1) {
            if (Long.compareUnsigned(koly.dataForkLength(), file.size() - koly.dataForkOffset()) > 0) {
                diags.add(Diagnostic.warning(name, "UDIF koly", koly.offset(), "data fork length "
                        + Long.toUnsignedString(koly.dataForkLength()) + " runs past the end of the file"));
            }
            // chunks are bounded by the file, not by the stated data fork length (writers get it wrong)
            return ByteSources.slice(file, koly.dataForkOffset(), file.size() - koly.dataForkOffset());
        }
        limits.check("maxSegments", count, "UDIF koly segment count", koly.offset() + 60);
        if (segments == null) {
            throw new UnsupportedFormatException("UDIF koly", koly.offset(), "segmented image (" + count
                    + " segments) but its other segments cannot be located here");
        }
        List<ByteSource> parts = new ArrayList<>();
        parts.add(sliceFork(file, koly, name, 1));
        long running = koly.dataForkLength();
        for (int i = 2; i <= count; i++) {
            ByteSource seg = segments.open(i);
            if (seg == null) {
                throw new TruncatedException("UDIF segment set", -1, "segment " + i + " of " + count + " is missing");
            }
            owned.add(seg);
            files.add(seg);
            Koly k = findKoly(seg);
            kolys.add(k);
            if (k.segmentNumber() != i || k.segmentCount() != count || !k.segmentId().equals(koly.segmentId())) {
                throw new MalformedException("UDIF koly of segment " + i, k.offset(), "segment number/count/id "
                        + k.segmentNumber() + "/" + k.segmentCount() + "/" + k.segmentId() + " do not match "
                        + i + "/" + count + "/" + koly.segmentId());
            }
            if (k.runningDataForkOffset() != running) {
                diags.add(Diagnostic.warning(name, "UDIF koly of segment " + i, k.offset() + 16,
                        "running data fork offset " + k.runningDataForkOffset() + ", expected " + running));
            }
            parts.add(sliceFork(seg, k, name, i));
            running = Math.addExact(running, k.dataForkLength());
        }
        return ByteSources.concat(parts);
    }

    private static ByteSource sliceFork(ByteSource f, Koly k, String name, int number) throws IOException {
        if (Long.compareUnsigned(k.dataForkOffset(), f.size()) > 0
                || Long.compareUnsigned(k.dataForkLength(), f.size() - k.dataForkOffset()) > 0) {
            throw new MalformedException("UDIF koly of segment " + number, k.offset(), "data fork "
                    + Long.toUnsignedString(k.dataForkOffset()) + "+" + Long.toUnsignedString(k.dataForkLength())
                    + " is outside the " + f.size() + "-byte file");
        }
        return ByteSources.slice(f, k.dataForkOffset(), k.dataForkLength());
    }

    static List<BlkxTable> tablesFromXml(ByteSource file, Koly koly, ParseLimits limits) throws IOException {
        long off = koly.xmlOffset();
        long len = koly.xmlLength();
        if (Long.compareUnsigned(off, file.size()) >= 0 || Long.compareUnsigned(len, file.size() - off) > 0) {
            throw new MalformedException("UDIF koly", koly.offset() + 216, "XML plist " + Long.toUnsignedString(off)
                    + "+" + Long.toUnsignedString(len) + " points outside the " + file.size() + "-byte file");
        }
        limits.check("maxMetadataSize", len, "UDIF XML plist", off);
        // the stated length is sometimes a byte or two short (dmgwiz #19): read a little beyond
        int extra = (int) Math.min(64, file.size() - off - len);
        byte[] xml = file.readBytes(off, (int) len + extra);
        Object root = XmlPlist.parse(xml, off, "UDIF XML plist", limits.maxTreeDepth());
        if (!(root instanceof Map<?, ?> top) || !(top.get("resource-fork") instanceof Map<?, ?> rf)) {
            throw new MalformedException("UDIF XML plist", off, "no resource-fork dictionary");
        }
        if (!(rf.get("blkx") instanceof List<?> blkx)) {
            throw new MalformedException("UDIF XML plist", off, "no blkx array in resource-fork");
        }
        limits.check("maxTableEntries", blkx.size(), "UDIF blkx array", off);
        List<BlkxTable> tables = new ArrayList<>();
        int i = 0;
        for (Object o : blkx) {
            if (!(o instanceof Map<?, ?> d) || !(d.get("Data") instanceof byte[] data)) {
                throw new MalformedException("UDIF XML plist", off, "blkx entry " + i + " has no Data");
            }
            // CFName may be missing (darling-dmg #85): fall back to Name
            Object cf = d.get("CFName");
            Object nm = d.get("Name");
            String name = cf instanceof String s && !s.isEmpty() ? s : nm instanceof String s2 ? s2 : "blkx " + i;
            long id = XmlPlist.number(d.get("ID"), i);
            long attrs = XmlPlist.number(d.get("Attributes"), 0);
            tables.add(BlkxTable.parse(data, -1, name, id, attrs, limits));
            i++;
        }
        return tables;
    }

    static List<BlkxTable> tablesFromResourceFork(ByteSource file, Koly koly, ParseLimits limits) throws IOException {
        long off = koly.rsrcForkOffset();
        long len = koly.rsrcForkLength();
        if (Long.compareUnsigned(off, file.size()) >= 0 || Long.compareUnsigned(len, file.size() - off) > 0) {
            throw new MalformedException("UDIF koly", koly.offset() + 40, "resource fork " + Long.toUnsignedString(off)
                    + "+" + Long.toUnsignedString(len) + " points outside the " + file.size() + "-byte file");
        }
        limits.check("maxMetadataSize", len, "UDIF resource fork", off);
        byte[] fork = file.readBytes(off, (int) len);
        List<BlkxTable> tables = new ArrayList<>();
        for (ResourceFork.Resource r : ResourceFork.read(fork, off, "blkx", limits)) {
            String name = r.name().isEmpty() ? "blkx " + r.id() : r.name();
            tables.add(BlkxTable.parse(r.data(), -1, name, r.id(), r.attributes(), limits));
        }
        return tables;
    }

    private static UdifMedia buildMedia(ByteSource dataSpace, String name, Koly koly, List<BlkxTable> tables,
                                        ParseLimits limits, Diagnostics diags) throws ParseException {
        List<UdifMedia.Run> runs = new ArrayList<>();
        // chunks are decoded into one Java array each, whatever the limit is raised to
        long maxChunk = Math.min(limits.maxChunkSize(), Integer.MAX_VALUE - 64L);
        for (int t = 0; t < tables.size(); t++) {
            BlkxTable tb = tables.get(t);
            String tstruct = "UDIF mish table '" + tb.name() + "'";
            long tableEnd = Math.addExact(tb.firstSector(), tb.sectorCount());
            for (int c = 0; c < tb.chunks().size(); c++) {
                BlkxChunk ch = tb.chunks().get(c);
                if (ch.type() == BlkxChunk.TERMINATOR) {
                    break;
                }
                if (ch.type() == BlkxChunk.COMMENT || ch.sectorCount() == 0) {
                    continue;
                }
                String label = "#" + c + " of table '" + tb.name() + "'";
                long type = ch.type();
                if (type != BlkxChunk.ZERO && type != BlkxChunk.RAW && type != BlkxChunk.IGNORE
                        && !BlkxChunk.isCompressed(type)) {
                    throw new UnsupportedFormatException(tstruct, -1, "chunk " + label + " has unknown type "
                            + BlkxChunk.typeName(type));
                }
                long sector = add(tb.firstSector(), ch.sectorNumber(), tstruct);
                long start = mul(sector, SECTOR, tstruct);
                long length = mul(ch.sectorCount(), SECTOR, tstruct);
                add(start, length, tstruct);
                if (Long.compareUnsigned(add(sector, ch.sectorCount(), tstruct), tableEnd) > 0) {
                    diags.add(Diagnostic.warning(name, tstruct, -1, "chunk " + label + " ends after the table's last sector"));
                }
                long srcOff = 0;
                long srcLen = 0;
                if (type == BlkxChunk.RAW || BlkxChunk.isCompressed(type)) {
                    if (BlkxChunk.isCompressed(type)) {
                        // a chunk claiming terabytes (a decompression bomb) stops here, before any allocation
                        if (Long.compareUnsigned(length, maxChunk) > 0) {
                            throw new LimitExceededException(tstruct + " chunk " + label, -1, "maxChunkSize", maxChunk, length);
                        }
                        if (Long.compareUnsigned(ch.compressedLength(), maxChunk) > 0) {
                            throw new LimitExceededException(tstruct + " chunk " + label + " compressed length", -1,
                                    "maxChunkSize", maxChunk, ch.compressedLength());
                        }
                    }
                    srcOff = add(tb.dataOffset(), ch.compressedOffset(), tstruct);
                    srcLen = ch.compressedLength();
                    long end = add(srcOff, srcLen, tstruct);
                    if (end > dataSpace.size()) {
                        throw new MalformedException(tstruct, -1, "chunk " + label + " data " + Long.toUnsignedString(srcOff)
                                + "+" + Long.toUnsignedString(srcLen) + " lies outside the data fork (" + dataSpace.size() + " bytes)");
                    }
                    if (type == BlkxChunk.RAW && srcLen < length) {
                        throw new MalformedException(tstruct, -1, "raw chunk " + label + " stores " + srcLen
                                + " bytes for " + length + " bytes of media");
                    }
                }
                runs.add(new UdifMedia.Run(start, length, type, srcOff, srcLen, label));
            }
        }
        runs.sort(Comparator.comparingLong(UdifMedia.Run::start));
        List<UdifMedia.Run> all = new ArrayList<>(runs.size() + 8);
        long pos = 0;
        for (UdifMedia.Run r : runs) {
            if (r.start() < pos) {
                throw new MalformedException("UDIF blkx", -1, "chunk " + r.label() + " (media " + r.start() + "+"
                        + r.length() + ") overlaps the previous chunk, which ends at " + pos);
            }
            if (r.start() > pos) {
                all.add(new UdifMedia.Run(pos, r.start() - pos, UdifMedia.GAP, 0, 0, "gap"));
            }
            all.add(r);
            pos = r.start() + r.length();
        }
        long stated = mul(koly.sectorCount(), SECTOR, "UDIF koly sector count");
        long size = pos;
        if (stated > pos) {
            all.add(new UdifMedia.Run(pos, stated - pos, UdifMedia.GAP, 0, 0, "gap"));
            size = stated;
        } else if (stated < pos && koly.sectorCount() != 0) {
            diags.add(Diagnostic.warning(name, "UDIF koly", koly.offset() + 492, "sector count " + koly.sectorCount()
                    + " is less than the " + (pos / SECTOR) + " sectors the blkx tables describe; media size follows the tables"));
        }
        return new UdifMedia(dataSpace, name, size, all, diags, CACHE_BYTES);
    }

    private static long add(long a, long b, String structure) throws ParseException {
        if (a < 0 || b < 0) {
            throw new MalformedException(structure, -1, "offset or count " + Long.toUnsignedString(a < 0 ? a : b) + " is out of range");
        }
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new MalformedException(structure, -1, "offset arithmetic overflows (" + a + " + " + b + ")");
        }
    }

    private static long mul(long a, long b, String structure) throws ParseException {
        if (a < 0) {
            throw new MalformedException(structure, -1, "sector value " + Long.toUnsignedString(a) + " is out of range");
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new MalformedException(structure, -1, "sector value " + a + " is out of range (overflows)");
        }
    }

    /**
     * Computes the stored CRC-32 checksums: master (over the tables' checksums) always; data fork and
     * per-table (over decoded media) when {@code mode} is {@code full}, or {@code auto}/{@code null} and the
     * image is small (data fork ≤ 32 MiB, media ≤ 128 MiB); {@code none} skips all.
     */
    private void checkChecksums(String mode) throws IOException {
        String m = mode == null ? "auto" : mode;
        if (m.equals("none")) {
            return;
        }
        boolean full = m.equals("full")
                || (Long.compareUnsigned(koly.dataForkLength(), 32L << 20) <= 0 && media.size() <= 128L << 20);
        checksums.addAll(verifyChecksums(full));
    }

    /** Verifies the stored checksums; {@code full} also reads the data fork and decodes the media. */
    public List<ChecksumResult> verifyChecksums(boolean full) throws IOException {
        List<ChecksumResult> out = new ArrayList<>();
        // master: CRC-32 over the big-endian CRC-32 values of the blkx tables, in table order
        UdifChecksum mc = koly.masterChecksum();
        if (mc.isCrc32()) {
            boolean allCrc = tables.stream().allMatch(t -> t.checksum().isCrc32());
            String computed = null;
            if (allCrc) {
                CRC32 crc = new CRC32();
                for (BlkxTable t : tables) {
                    crc.update(t.checksum().data(), 0, 4);
                }
                computed = String.format("%08x", crc.getValue());
            }
            out.add(result("master", mc, computed));
        } else if (mc.type() != UdifChecksum.TYPE_NONE) {
            out.add(new ChecksumResult("master", mc.typeName(), mc.storedHex(), null, null));
        }
        for (int i = 0; i < segmentKolys.size(); i++) {
            Koly k = segmentKolys.get(i);
            UdifChecksum dc = k.dataForkChecksum();
            String scope = segmentKolys.size() > 1 ? "data fork (segment " + (i + 1) + ")" : "data fork";
            if (dc.isCrc32() && full) {
                out.add(result(scope, dc, crcHex(segmentFiles.get(i), k.dataForkOffset(), k.dataForkLength())));
            } else if (dc.type() != UdifChecksum.TYPE_NONE) {
                out.add(new ChecksumResult(scope, dc.typeName(), dc.storedHex(), null, null));
            }
        }
        String[] computed = full && tables.stream().anyMatch(t -> t.checksum().isCrc32()) ? tableCrcs() : null;
        for (int i = 0; i < tables.size(); i++) {
            BlkxTable t = tables.get(i);
            UdifChecksum tc = t.checksum();
            String scope = "blkx '" + t.name() + "'";
            if (tc.isCrc32() && computed != null) {
                out.add(result(scope, tc, computed[i]));
            } else if (tc.type() != UdifChecksum.TYPE_NONE) {
                out.add(new ChecksumResult(scope, tc.typeName(), tc.storedHex(), null, null));
            }
        }
        return out;
    }

    private ChecksumResult result(String scope, UdifChecksum c, String computed) throws ChecksumException {
        String stored = String.format("%08x", c.crc32());
        Boolean ok = computed == null ? null : computed.equals(stored);
        if (Boolean.FALSE.equals(ok)) {
            ChecksumException e = new ChecksumException("UDIF " + scope + " checksum", -1, "CRC-32",
                    c.crc32(), Long.parseLong(computed, 16));
            if (diagnostics.strict()) {
                throw e;
            }
            Diagnostic d = Diagnostic.of(name, e, Diagnostic.Severity.WARNING);
            own.add(d);
            diagnostics.add(d);
        }
        return new ChecksumResult(scope, "crc32", stored, computed, ok);
    }

    /**
     * CRC-32 of each table's decoded data, in one parallel pass over the media. Ignore (sparse)
     * chunks are not part of it: Apple stores 0 — the CRC-32 of nothing — for tables made only of
     * them (Apple_Free), as seen on the corpus.
     */
    private String[] tableCrcs() throws IOException {
        List<long[]> ranges = new ArrayList<>();
        for (int ti = 0; ti < tables.size(); ti++) {
            BlkxTable t = tables.get(ti);
            for (BlkxChunk c : t.chunks()) {
                if (c.type() == BlkxChunk.TERMINATOR) {
                    break;
                }
                if (c.type() == BlkxChunk.COMMENT || c.type() == BlkxChunk.IGNORE || c.sectorCount() == 0) {
                    continue;
                }
                long start = (t.firstSector() + c.sectorNumber()) * SECTOR;
                ranges.add(new long[] {start, start + c.sectorCount() * SECTOR, ti});
            }
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        CRC32[] crcs = new CRC32[tables.size()];
        for (int i = 0; i < crcs.length; i++) {
            crcs[i] = new CRC32();
        }
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        int first = 0;
        try (io.vestige.io.SequentialReader r = new io.vestige.io.SequentialReader(media, threads, null)) {
            int n;
            while ((n = r.readNBytes(buf, 0, buf.length)) > 0) {
                long end = pos + n;
                while (first < ranges.size() && ranges.get(first)[1] <= pos) {
                    first++;
                }
                for (int j = first; j < ranges.size() && ranges.get(j)[0] < end; j++) {
                    long[] g = ranges.get(j);
                    long a = Math.max(g[0], pos);
                    long b = Math.min(g[1], end);
                    if (a < b) {
                        crcs[(int) g[2]].update(buf, (int) (a - pos), (int) (b - a));
                    }
                }
                pos = end;
            }
        }
        String[] out = new String[crcs.length];
        for (int i = 0; i < crcs.length; i++) {
            out[i] = String.format("%08x", crcs[i].getValue());
        }
        return out;
    }

    private static String crcHex(ByteSource src, long off, long len) throws IOException {
        CRC32 crc = new CRC32();
        update(crc, src, off, len);
        return String.format("%08x", crc.getValue());
    }

    private static void update(CRC32 crc, ByteSource src, long off, long len) throws IOException {
        byte[] buf = new byte[1 << 20];
        long pos = off;
        long end = off + len;
        while (pos < end) {
            int n = (int) Math.min(buf.length, end - pos);
            src.readFully(pos, buf, 0, n);
            crc.update(buf, 0, n);
            pos += n;
        }
    }

    public Koly koly() {
        return koly;
    }

    public List<BlkxTable> tables() {
        return tables;
    }

    /** The decoded media (random reads cached; {@link io.vestige.io.SequentialReader} for whole-media reads). */
    public ChunkedByteSource media() {
        return media;
    }

    /** The checksum results computed at open (see the {@code udif.verify} setting). */
    public List<ChecksumResult> checksums() {
        return List.copyOf(checksums);
    }

    /** Problems found while opening (checksum mismatches …); chunk damage found later goes to the options' diagnostics. */
    public List<Diagnostic> diagnostics() {
        return List.copyOf(own);
    }

    /** Chunk types used, by name, with counts (comment/terminator entries excluded). */
    public Map<String, Long> chunkTypes() {
        Map<String, Long> m = new TreeMap<>();
        for (BlkxTable t : tables) {
            for (BlkxChunk c : t.chunks()) {
                if (c.type() == BlkxChunk.TERMINATOR || c.type() == BlkxChunk.COMMENT) {
                    continue;
                }
                m.merge(BlkxChunk.typeName(c.type()), 1L, Long::sum);
            }
        }
        return m;
    }

    /** hdiutil format most consistent with the chunk types (a guess: UDRO and UDRW look the same). */
    public String variantGuess() {
        Map<String, Long> types = chunkTypes();
        String[][] byCodec = {{"lzma", "ULMO"}, {"lzfse", "ULFO"}, {"bzip2", "UDBZ"}, {"zlib", "UDZO"}, {"adc", "UDCO"}};
        for (String[] p : byCodec) {
            if (types.containsKey(p[0])) {
                return p[1];
            }
        }
        return "UDRO/UDRW (uncompressed)";
    }

    /** Details for {@code ContainerInfo}: variant, chunk types, checksums, partitions, koly fields. */
    public Map<String, Object> details() {
        Map<String, Object> d = new TreeMap<>();
        d.put("variant", variantGuess());
        if (rebuiltFromPlist) {
            d.put("trailerRebuiltFromPlist", true);
        }
        d.put("chunkTypes", chunkTypes());
        List<Map<String, Object>> cs = new ArrayList<>();
        for (ChecksumResult r : checksums) {
            cs.add(r.toMap());
        }
        d.put("checksums", cs);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (BlkxTable t : tables) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", t.name());
            p.put("id", t.id());
            p.put("firstSector", t.firstSector());
            p.put("sectorCount", t.sectorCount());
            p.put("chunks", t.chunks().size());
            parts.add(p);
        }
        d.put("partitions", parts);
        d.put("blkxSource", tableSource);
        d.put("koly", koly.toDetails());
        d.put("segments", segmentKolys.size());
        return d;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ByteSource s : owned) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
