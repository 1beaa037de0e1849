package io.vestige.format.tsk;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.Diagnostic;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file system read by The Sleuth Kit (HFS+, NTFS, ext2/3/4, FAT, exFAT, ISO 9660, UFS, and APFS
 * through TSK's pool support) presented as a Vestige {@link FileSystem}. The tree is the one
 * {@code fls -r -p -u} shows: allocated names, including TSK's virtual entries ({@code $OrphanFiles},
 * HFS+ {@code $CatalogFile} …); with setting {@code tsk.deleted=true} unallocated names too.
 */
public final class TskFileSystem implements FileSystem {
    /** Directory nesting beyond which a walk is refused (cycles are caught earlier by inode). */
    static final int MAX_DEPTH = 1024;

    private final TskFsHandle fs;
    private final String label;
    private final EvidencePath evidencePath;
    final ParseLimits limits;
    final boolean includeDeleted;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final String libVersion;

    TskFileSystem(TskFsHandle fs, String label, EvidencePath parent, OpenOptions options, String libVersion) {
        this.fs = fs;
        this.label = label;
        this.limits = options.limits();
        this.includeDeleted = "true".equalsIgnoreCase(options.setting("tsk.deleted"));
        this.libVersion = libVersion;
        String detail = fs.info().typeName() + (label == null || label.isEmpty() ? "" : " \"" + label + "\"");
        this.evidencePath = parent.then("tsk", detail);
    }

    TskFsHandle fs() {
        return fs;
    }

    @Override
    public String type() {
        return fs.info().typeName();
    }

    @Override
    public String label() {
        return label == null || label.isEmpty() ? fs.tskTypeName() : label;
    }

    @Override
    public EvidencePath evidencePath() {
        return evidencePath;
    }

    @Override
    public FileEntry root() throws IOException {
        long root = fs.rootInum();
        return new TskFileEntry(this, null, "", "/", null, fs.stat(root, limits), 0);
    }

    @Override
    public synchronized List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    synchronized void diagnose(Diagnostic d) {
        if (diagnostics.size() < 10_000) {
            diagnostics.add(d);
        }
    }

    @Override
    public Map<String, Object> info() {
        TskFsInfo i = fs.info();
        Map<String, Object> m = new TreeMap<>();
        m.put("engine", "tsk");
        m.put("libtsk", libVersion);
        m.put("tskType", fs.tskTypeName());
        m.put("blockSize", i.blockSize());
        m.put("blockCount", i.blockCount());
        m.put("rootInode", i.rootInum());
        m.put("firstInode", i.firstInum());
        m.put("lastInode", i.lastInum());
        m.put("offset", i.offset());
        m.put("nanosecondTimes", (i.flags() & TskFsInfo.FLAG_HAVE_NANOSEC) != 0);
        m.put("encrypted", (i.flags() & TskFsInfo.FLAG_ENCRYPTED) != 0);
        TskPoolVolumeInfo v = fs.poolVolume();
        if (v != null) {
            m.put("poolVolumeBlock", v.block());
            m.put("poolVolumeIndex", v.index());
            m.put("caseSensitive", (v.flags() & TskPoolVolumeInfo.FLAG_CASE_SENSITIVE) != 0);
        }
        return m;
    }

    @Override
    public void close() {
        fs.close();
    }
}
