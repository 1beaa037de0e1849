package io.vestige.format.apfs;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.Paths;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file-system entry of an {@link ApfsVolume}: an inode record seen through one directory record
 * (hard links give several entries with the same inode). Content is lazy and extent-mapped, or
 * decompressed for decmpfs files; times carry nanoseconds, {@code added} comes from the directory
 * record.
 */
final class ApfsEntry implements FileEntry {
    private final ApfsVolume vol;
    private final String path;
    private final JInode ino;
    private final JDrec drec;
    private final String name;
    private volatile List<JXattr> xattrCache;
    private volatile Long sizeCache;

    ApfsEntry(ApfsVolume vol, String path, JInode ino, JDrec drec) {
        this.vol = vol;
        this.path = path;
        this.ino = ino;
        this.drec = drec;
        this.name = drec != null ? drec.name() : Paths.name(path);
    }

    JInode inodeRecord() {
        return ino;
    }

    JDrec drecRecord() {
        return drec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public EntryKind kind() {
        return switch (ino.fileType()) {
            case 0100000 -> EntryKind.FILE;
            case 0040000 -> EntryKind.DIRECTORY;
            case 0120000 -> EntryKind.SYMLINK;
            case 0060000 -> EntryKind.BLOCK_DEVICE;
            case 0020000 -> EntryKind.CHAR_DEVICE;
            case 0010000 -> EntryKind.FIFO;
            case 0140000 -> EntryKind.SOCKET;
            case 0160000 -> EntryKind.WHITEOUT;
            default -> EntryKind.OTHER;
        };
    }

    @Override
    public long size() {
        if (kind() == EntryKind.DIRECTORY) {
            return 0;
        }
        Long s = sizeCache;
        if (s != null) {
            return s;
        }
        long v = ino.dstreamSize();
        if (ino.compressed()) {
            try {
                JXattr x = xattr(Decmpfs.XATTR);
                if (x != null) {
                    v = Decmpfs.header(xattrBytes(x), 0).size();
                }
            } catch (IOException e) {
                vol.warn("decmpfs", path + ": " + e.getMessage() + "; reporting the data-stream size");
            }
        }
        sizeCache = v;
        return v;
    }

    @Override
    public long inode() {
        return ino.id();
    }

    @Override
    public int mode() {
        return ino.mode();
    }

    @Override
    public long uid() {
        return ino.uid();
    }

    @Override
    public long gid() {
        return ino.gid();
    }

    @Override
    public long linkCount() {
        return kind() == EntryKind.DIRECTORY ? -1 : ino.nchildrenOrNlink();
    }

    @Override
    public FileTimes times() {
        return new FileTimes(Apfs.timeOrEpoch(ino.createTime()), Apfs.timeOrEpoch(ino.modTime()),
                Apfs.timeOrEpoch(ino.changeTime()), Apfs.timeOrEpoch(ino.accessTime()),
                drec == null ? null : Apfs.time(drec.dateAdded()));
    }

    @Override
    public String linkTarget() {
        if (kind() != EntryKind.SYMLINK) {
            return null;
        }
        try {
            JXattr x = xattr("com.apple.fs.symlink");
            return x == null ? null : ApfsVolume.utf8(xattrBytes(x));
        } catch (IOException e) {
            vol.warn("APFS symlink", path + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public ByteSource content() throws IOException {
        EntryKind k = kind();
        if (k == EntryKind.DIRECTORY) {
            return ByteSources.empty();
        }
        if (ino.compressed()) {
            JXattr x = xattr(Decmpfs.XATTR);
            if (x != null) {
                JXattr r = xattr(Decmpfs.RSRC);
                return Decmpfs.open(xattrBytes(x), r == null ? null : xattrSource(r), vol.io().limits,
                        vol.evidencePath().thenPath(path).toString());
            }
            vol.warn("decmpfs", path + ": UF_COMPRESSED is set but there is no " + Decmpfs.XATTR
                    + " attribute; reading the data stream");
        }
        if (ino.dataless()) {
            // the bytes live with a cloud provider; zeros of the recorded size would be a lie
            throw new io.vestige.io.UnsupportedFormatException("APFS inode " + ino.id(), -1, path
                    + " is dataless (SF_DATALESS): its content is not stored on this volume");
        }
        if (!ino.hasDstream()) {
            return ByteSources.empty();
        }
        FsTree t = vol.tree();
        long pid = ino.privateId();
        return new ExtentSource(vol.io(), vol.evidencePath().thenPath(path).toString(), ino.dstreamSize(),
                () -> t.extents(pid, vol.io().limits.maxTableEntries()), vol.superblock().encrypted());
    }

    @Override
    public List<FileEntry> children() throws IOException {
        if (kind() != EntryKind.DIRECTORY) {
            return List.of();
        }
        return vol.children(this);
    }

    private List<JXattr> jxattrs() throws IOException {
        List<JXattr> l = xattrCache;
        if (l == null) {
            l = vol.tree().xattrs(ino.id());
            xattrCache = l;
        }
        return l;
    }

    JXattr xattr(String name) throws IOException {
        for (JXattr x : jxattrs()) {
            if (x.name().equals(name)) {
                return x;
            }
        }
        return null;
    }

    ByteSource xattrSource(JXattr x) throws IOException {
        if (x.embedded() != null) {
            return ByteSources.wrap(x.embedded(), vol.evidencePath().thenPath(path) + " xattr " + x.name());
        }
        FsTree t = vol.tree();
        long sid = x.streamId();
        return new ExtentSource(vol.io(), vol.evidencePath().thenPath(path) + " xattr " + x.name(), x.streamSize(),
                () -> t.extents(sid, vol.io().limits.maxTableEntries()), vol.superblock().encrypted());
    }

    byte[] xattrBytes(JXattr x) throws IOException {
        if (x.embedded() != null) {
            return x.embedded();
        }
        vol.io().limits.check("maxXattrSize", x.streamSize(), "APFS xattr " + x.name(), -1);
        return xattrSource(x).readBytes(0, (int) x.streamSize());
    }

    @Override
    public List<Xattr> xattrs() throws IOException {
        List<Xattr> out = new ArrayList<>();
        for (JXattr x : jxattrs()) {
            out.add(new Xattr(x.name(), x.size(), xattrSource(x)));
        }
        out.sort(Comparator.comparing(Xattr::name));
        return out;
    }

    @Override
    public EvidencePath evidencePath() {
        return vol.evidencePath().thenPath(path);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new TreeMap<>();
        m.put("bsdFlags", String.format("0x%08x", ino.bsdFlags()));
        m.put("internalFlags", String.format("0x%x", ino.internalFlags()));
        m.put("privateId", ino.privateId());
        m.put("parentId", ino.parentId());
        m.put("xid", vol.xid());
        m.put("recordXid", ino.recordXid());
        m.put("dataless", ino.dataless());
        m.put("sparse", (ino.internalFlags() & JInode.INODE_IS_SPARSE) != 0);
        m.put("protectionClass", ino.protectionClass());
        m.put("writeGeneration", ino.writeGeneration());
        if (kind() == EntryKind.DIRECTORY) {
            m.put("children", ino.nchildrenOrNlink());
        }
        if (ino.hasDstream()) {
            m.put("allocatedSize", ino.dstreamAlloced());
        }
        if (ino.documentId() != 0) {
            m.put("documentId", ino.documentId());
        }
        if (ino.rdev() != 0) {
            m.put("rdev", ino.rdev());
        }
        if (drec != null && drec.siblingId() != -1) {
            m.put("siblingId", drec.siblingId());
        }
        if (ino.compressed()) {
            try {
                JXattr x = xattr(Decmpfs.XATTR);
                if (x != null) {
                    Decmpfs.Header h = Decmpfs.header(xattrBytes(x), 0);
                    m.put("compressionType", h.type());
                    m.put("compression", h.algorithm());
                }
            } catch (IOException e) {
                m.put("compression", "unreadable: " + e.getMessage());
            }
        }
        if (ino.nchildrenOrNlink() > 1 && kind() != EntryKind.DIRECTORY) {
            try {
                List<Long> ids = new ArrayList<>();
                for (long[] s : vol.tree().siblingIds(ino.id())) {
                    ids.add(s[0]);
                }
                m.put("siblingIds", ids);
            } catch (IOException e) {
                m.put("siblingIds", "unreadable: " + e.getMessage());
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApfsEntry e && e.path.equals(path) && e.ino.id() == ino.id() && e.vol == vol;
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Long.hashCode(ino.id());
    }

    @Override
    public String toString() {
        return path + " (inode " + ino.id() + ")";
    }

}
