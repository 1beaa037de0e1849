package io.vestige.format.unifiedlog.tracev3;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEventSink;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A unified-log store read natively: the tracev3 files of a {@code diagnostics} folder
 * ({@code Persist}, {@code Special}, {@code Signpost}, {@code HighVolume}, {@code logdata.LiveData.tracev3},
 * and tracev3 files at its top), its {@code timesync} files, and the {@code uuidtext} folder (with
 * {@code dsc}) for format strings (FORMATS §6.1). Works on any {@link FileSystem} (APFS, tar, a
 * folder); a {@code .logarchive} has all of these at its top level. AppleDouble {@code ._*} files are
 * skipped. Events stream to a sink; at most one chunkset is decompressed at a time.
 */
public final class UnifiedLogStore implements Closeable {
    static final List<String> SUBFOLDERS = List.of("Persist", "Special", "Signpost", "HighVolume");

    private final FileSystem fs;
    private final String diagnosticsPath;
    private final String uuidtextPath;
    private final ParseLimits limits;
    private final boolean ownsFs;

    private UnifiedLogStore(FileSystem fs, String diagnosticsPath, String uuidtextPath, ParseLimits limits, boolean ownsFs) {
        this.fs = fs;
        this.diagnosticsPath = diagnosticsPath;
        this.uuidtextPath = uuidtextPath;
        this.limits = limits;
        this.ownsFs = ownsFs;
    }

    /**
     * A store in a file system, e.g. {@code open(fs, "/private/var/db/diagnostics", "/private/var/db/uuidtext")}.
     * Folder names are matched case-insensitively (collections from case-insensitive volumes vary).
     */
    public static UnifiedLogStore open(FileSystem fs, String diagnosticsPath, String uuidtextPath) throws IOException {
        return open(fs, diagnosticsPath, uuidtextPath, ParseLimits.defaults());
    }

    public static UnifiedLogStore open(FileSystem fs, String diagnosticsPath, String uuidtextPath, ParseLimits limits)
            throws IOException {
        String diag = resolveIgnoreCase(fs, diagnosticsPath);
        String uuid = uuidtextPath == null ? null : resolveIgnoreCase(fs, uuidtextPath);
        if (diag == null) {
            throw new ParseException("unified log store", -1, "no folder " + diagnosticsPath + " in " + fs.label());
        }
        return new UnifiedLogStore(fs, diag, uuid == null ? uuidtextPath : uuid, limits, false);
    }

    /** A {@code .logarchive} folder (or a copied {@code diagnostics} folder with {@code uuidtext} inside). */
    public static UnifiedLogStore openLogarchive(Path folder) throws IOException {
        DirectoryFileSystem d = DirectoryFileSystem.of(folder);
        String uuid = d.lookup("/uuidtext") != null ? "/uuidtext" : "/";
        return new UnifiedLogStore(d, "/", uuid, ParseLimits.defaults(), true);
    }

    /** Finds {@code path} component by component, ignoring case; {@code null} if absent. */
    static String resolveIgnoreCase(FileSystem fs, String path) throws IOException {
        FileEntry exact = fs.lookup(path);
        if (exact != null) {
            return exact.path();
        }
        FileEntry cur = fs.root();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            FileEntry next = null;
            for (FileEntry c : cur.children()) {
                if (c.name().equalsIgnoreCase(part)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return cur.path();
    }

    public String diagnosticsPath() {
        return diagnosticsPath;
    }

    public String uuidtextPath() {
        return uuidtextPath;
    }

    /** The tracev3 files, in folder order (Persist, Special, Signpost, HighVolume, top level, live data) and name order. */
    public List<FileEntry> tracev3Files() throws IOException {
        List<FileEntry> out = new ArrayList<>();
        FileEntry root = fs.lookup(diagnosticsPath);
        if (root == null) {
            return out;
        }
        List<FileEntry> top = root.children();
        for (String sub : SUBFOLDERS) {
            for (FileEntry c : top) {
                if (c.isDirectory() && c.name().equalsIgnoreCase(sub)) {
                    addTracev3(c.children(), out);
                }
            }
        }
        addTracev3(top, out);
        return out;
    }

    private static void addTracev3(List<FileEntry> entries, List<FileEntry> out) {
        for (FileEntry e : entries) {
            String n = e.name();
            if (e.isFile() && !n.startsWith("._") && n.toLowerCase(Locale.ROOT).endsWith(".tracev3")) {
                out.add(e);
            }
        }
    }

    /** Loads every timesync file of the store. */
    Timesync timesync(Diagnostics diags) throws IOException {
        Timesync ts = new Timesync();
        FileEntry root = fs.lookup(diagnosticsPath);
        if (root == null) {
            return ts;
        }
        for (FileEntry c : root.children()) {
            if (c.isDirectory() && c.name().equalsIgnoreCase("timesync")) {
                for (FileEntry f : c.children()) {
                    if (!f.isFile() || f.name().startsWith("._") || !f.name().endsWith(".timesync")) {
                        continue;
                    }
                    try (ByteSource s = f.content()) {
                        limits.check("maxMetadataSize", s.size(), "timesync", 0);
                        long left = ts.add(s.readBytes(0, (int) s.size()), 0);
                        if (left > 0) {
                            diags.add(Diagnostic.warning(f.evidencePath().toString(), "timesync", s.size() - left,
                                    left + " bytes not understood at the end of the file"));
                        }
                    } catch (ParseException e) {
                        diags.add(Diagnostic.of(f.evidencePath().toString(), e, Diagnostic.Severity.WARNING));
                    }
                }
            }
        }
        return ts;
    }

    /** Streams every event of the store to {@code sink}; returns the counters. */
    public DecodeStats read(LogEventSink sink, Diagnostics diags) throws IOException {
        DecodeStats.Counter c = new DecodeStats.Counter(fs.evidencePath().thenPath(diagnosticsPath).toString());
        Tracev3Reader.Context ctx = new Tracev3Reader.Context(new StringResolver(fs, uuidtextPath, limits, diags),
                timesync(diags), limits, diags, c, sink);
        List<DecodeStats> files = new ArrayList<>();
        for (FileEntry f : tracev3Files()) {
            DecodeStats before = c.snapshot();
            try (ByteSource s = f.content()) {
                new Tracev3Reader(s, f.evidencePath(), ctx).read();
            } catch (ParseException e) {
                c.decodeErrors++;
                diags.add(Diagnostic.of(f.evidencePath().toString(), e, Diagnostic.Severity.ERROR));
            }
            files.add(c.snapshot().since(before, f.evidencePath().toString()));
        }
        DecodeStats before = c.snapshot();
        Tracev3Reader.flushPending(ctx);
        DecodeStats second = c.snapshot().since(before, fs.evidencePath().thenPath(diagnosticsPath) + " (second pass: oversize)");
        if (second.eventsEmitted() > 0) {
            files.add(second);
        }
        perFile = List.copyOf(files);
        return c.snapshot();
    }

    private List<DecodeStats> perFile = List.of();

    /** Counters of each tracev3 file of the last {@link #read} (events completed in the second pass listed last). */
    public List<DecodeStats> perFileStats() {
        return perFile;
    }

    /**
     * Reads one tracev3 file with the store's strings and timesync, or with none ({@code store} null):
     * for benchmarks and tests.
     */
    public static DecodeStats readFile(ByteSource tracev3, EvidencePath where, UnifiedLogStore store, LogEventSink sink,
                                       Diagnostics diags) throws IOException {
        DecodeStats.Counter c = new DecodeStats.Counter(where.toString());
        ParseLimits limits = store == null ? ParseLimits.defaults() : store.limits;
        StringResolver sr = store == null ? new StringResolver(null, null, limits, diags)
                : new StringResolver(store.fs, store.uuidtextPath, limits, diags);
        Timesync ts = store == null ? new Timesync() : store.timesync(diags);
        Tracev3Reader.Context ctx = new Tracev3Reader.Context(sr, ts, limits, diags, c, sink);
        new Tracev3Reader(tracev3, where, ctx).read();
        Tracev3Reader.flushPending(ctx);
        return c.snapshot();
    }

    /**
     * Decompresses every chunkset of a tracev3 file and returns the number of decompressed bytes,
     * without decoding them: the LZ4 ceiling for benchmarks. Damaged chunks are skipped.
     */
    public static long decompressOnly(ByteSource tracev3, ParseLimits limits) throws IOException {
        long total = 0;
        long off = 0;
        long size = tracev3.size();
        byte[] pre = new byte[16];
        while (off + 16 <= size) {
            tracev3.readFully(off, pre, 0, 16);
            int tag = Chunkset.le32(pre, 0);
            long ds = Chunkset.le32(pre, 8) & 0xffffffffL | (long) Chunkset.le32(pre, 12) << 32;
            if (ds < 0 || ds > size - off - 16 || ds + 16 > limits.maxChunkSize()) {
                break;
            }
            if (tag == Chunkset.TAG) {
                byte[] c = tracev3.readBytes(off, (int) (ds + 16));
                try {
                    total += Chunkset.decompress(c, 16, c.length, off, limits).length;
                } catch (ParseException e) {
                    // skipped, as the reader does
                }
            }
            off += Tracev3Reader.align8(16 + ds);
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        if (ownsFs) {
            fs.close();
        }
    }
}
