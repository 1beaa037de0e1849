package io.vestige.format.apfs;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.Paths;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One APFS volume (or one snapshot of it, or the volume as of an older checkpoint) as a
 * {@link FileSystem}. The file-system tree is opened on first use so that an encrypted volume can
 * still be listed with its facts; reading its tree then fails with a clear
 * {@link UnsupportedFormatException} instead of returning garbage.
 */
public final class ApfsVolume implements FileSystem {
    private final ApfsContainer container;
    private final int index;
    private final ApfsCheckpoint checkpoint;
    private final ApfsSuperblock sb;
    private final ObjectMap omap;
    private final long viewXid;
    private final ApfsSnapshot snapshot;
    private final EvidencePath evidencePath;
    private final boolean strict;
    private volatile FsTree tree;
    private volatile List<ApfsSnapshot> snapshots;
    /** Resolved virtual oids of this view (the omap answer for a fixed xid never changes). */
    private final Map<Long, Long> resolved = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> e) {
            return size() > 65536;
        }
    };

    ApfsVolume(ApfsContainer container, int index, ApfsCheckpoint checkpoint, ApfsSuperblock sb, ObjectMap omap,
               long viewXid, ApfsSnapshot snapshot) {
        this(container, index, checkpoint, sb, omap, viewXid, snapshot, false);
    }

    /**
     * @param strict fail on the first unreadable subtree instead of skipping it with a diagnostic
     *               (history comparisons need complete listings)
     */
    ApfsVolume(ApfsContainer container, int index, ApfsCheckpoint checkpoint, ApfsSuperblock sb, ObjectMap omap,
               long viewXid, ApfsSnapshot snapshot, boolean strict) {
        this.strict = strict;
        this.container = container;
        this.index = index;
        this.checkpoint = checkpoint;
        this.sb = sb;
        this.omap = omap;
        this.viewXid = viewXid;
        this.snapshot = snapshot;
        StringBuilder d = new StringBuilder("vol \"").append(sb.name()).append("\" xid ").append(viewXid);
        if (snapshot != null) {
            d.append(" snapshot \"").append(snapshot.name()).append('"');
        }
        this.evidencePath = container.evidencePath().then("apfs", d.toString());
    }

    @Override
    public String type() {
        return "apfs";
    }

    @Override
    public String label() {
        return sb.name();
    }

    @Override
    public EvidencePath evidencePath() {
        return evidencePath;
    }

    public ApfsSuperblock superblock() {
        return sb;
    }

    public ApfsContainer container() {
        return container;
    }

    /** Position of this volume in the container's {@code nx_fs_oid} array. */
    public int index() {
        return index;
    }

    /** The transaction this view shows (checkpoint xid, or the snapshot's xid). */
    public long xid() {
        return viewXid;
    }

    public ApfsCheckpoint checkpoint() {
        return checkpoint;
    }

    /** The snapshot this view shows, or null for the live volume. */
    public ApfsSnapshot snapshot() {
        return snapshot;
    }

    BlockReader io() {
        return container.io();
    }

    FsTree tree() throws IOException {
        FsTree t = tree;
        if (t == null) {
            synchronized (this) {
                t = tree;
                if (t == null) {
                    t = openTree();
                    tree = t;
                }
            }
        }
        return t;
    }

    private FsTree openTree() throws IOException {
        BlockReader io = io();
        String what = "APFS volume \"" + sb.name() + "\" fs tree";
        boolean physical = (sb.rootTreeType() & ObjPhys.FLAG_PHYSICAL) != 0;
        if (sb.encrypted() && !physical) {
            ObjectMap.Mapping m = omap.lookup(sb.rootTreeOid(), viewXid);
            if (m != null && m.encrypted()) {
                throw encrypted(null);
            }
        }
        BTree.Resolver virt = oid -> {
            synchronized (resolved) {
                Long p = resolved.get(oid);
                if (p != null) {
                    return p;
                }
            }
            ObjectMap.Mapping m = omap.lookup(oid, viewXid);
            if (m == null) {
                throw new MalformedException(what, -1, "virtual oid " + Long.toUnsignedString(oid)
                        + " has no object-map entry at xid <= " + viewXid);
            }
            if (m.encrypted()) {
                throw encrypted(null);
            }
            synchronized (resolved) {
                resolved.put(oid, m.paddr());
            }
            return m.paddr();
        };
        try {
            BTree root = new BTree(io, what, sb.rootTreeOid(), physical, virt, viewXid,
                    FsTree.order(sb.hashedNames()), !strict);
            BTree fext = null;
            if (sb.sealed() && sb.fextTreeOid() != 0) {
                boolean fphys = (sb.fextTreeType() & ObjPhys.FLAG_PHYSICAL) != 0;
                fext = new BTree(io, "APFS volume \"" + sb.name() + "\" fext tree", sb.fextTreeOid(), fphys, virt,
                        viewXid, FsTree::compareFext, !strict);
            }
            FsTree t = new FsTree(root, fext, sb.hashedNames(), io.limits.maxNameLength());
            prefetch(root);
            return t;
        } catch (ChecksumException | MalformedException e) {
            if (sb.encrypted()) {
                throw encrypted(e);
            }
            throw e;
        }
    }

    /**
     * Warms the node cache on a second core: one daemon thread reads, verifies and parses the
     * tree's nodes while the caller walks it. Only for trees that fit the cache; errors are left for
     * the caller's own reads to report.
     */
    private void prefetch(BTree root) {
        long nodes = root.root().infoNodeCount;
        if (container.options().threads() < 2 || nodes < 64 || nodes > BlockReader.NODE_CACHE / 2) {
            return;
        }
        Thread th = new Thread(() -> {
            try {
                root.verifyAll();
            } catch (IOException | RuntimeException e) {
                // the walk reads the same nodes itself and reports any damage there
            }
        }, "apfs-prefetch");
        th.setDaemon(true);
        th.setPriority(Thread.MIN_PRIORITY);
        th.start();
    }

    private UnsupportedFormatException encrypted(ParseException cause) {
        String msg = "volume \"" + sb.name() + "\" is encrypted" + ((sb.fsFlags() & ApfsSuperblock.FS_ONEKEY) != 0
                ? " (FileVault/onekey)" : "") + "; its file-system tree cannot be read without the volume key "
                + "(hardware-bound keys are not available offline)";
        if (cause != null) {
            msg += " [" + cause.getMessage() + "]";
        }
        return new UnsupportedFormatException("APFS volume", sb.paddr() * io().blockSize, msg);
    }

    @Override
    public FileEntry root() throws IOException {
        JInode ino = tree().inode(Apfs.ROOT_DIR_INO);
        if (ino == null) {
            throw new MalformedException("APFS volume \"" + sb.name() + "\"", -1, "root directory inode 2 is missing");
        }
        return new ApfsEntry(this, "/", ino, null);
    }

    @Override
    public FileEntry lookup(String path) throws IOException {
        String norm = Paths.normalize(path);
        FileEntry cur = root();
        if (norm.equals("/")) {
            return cur;
        }
        FsTree t = tree();
        JInode ino = ((ApfsEntry) cur).inodeRecord();
        String at = "/";
        for (String part : norm.substring(1).split("/")) {
            if ((ino.mode() & 0170000) != 0040000) {
                return null;
            }
            JDrec d = t.child(ino.id(), part);
            if (d == null && sb.caseInsensitive()) {
                for (JDrec c : t.children(ino.id(), io().limits.maxDirectoryEntries())) {
                    if (c.name().equalsIgnoreCase(part)) {
                        d = c;
                        break;
                    }
                }
            }
            if (d == null) {
                return null;
            }
            JInode next = t.inode(d.fileId());
            if (next == null) {
                warn("APFS j_drec", "directory record " + Paths.join(at, d.name()) + " points at missing inode "
                        + d.fileId());
                return null;
            }
            at = Paths.join(at, d.name());
            ino = next;
            cur = new ApfsEntry(this, at, ino, d);
        }
        return cur;
    }

    /** Entries of a directory inode, sorted by name; records pointing at missing inodes are reported. */
    List<FileEntry> children(ApfsEntry dir) throws IOException {
        FsTree t = tree();
        List<JDrec> drecs = t.children(dir.inode(), io().limits.maxDirectoryEntries());
        // fetch the children's inodes by range scans over runs of nearby ids (siblings are usually
        // created together), not one root-to-leaf lookup per child
        long[] ids = new long[drecs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = drecs.get(i).fileId();
        }
        java.util.Arrays.sort(ids);
        JInode[] inodes = t.inodes(ids);
        List<FileEntry> out = new ArrayList<>(drecs.size());
        for (JDrec d : drecs) {
            int at = java.util.Arrays.binarySearch(ids, d.fileId());
            JInode ino = at >= 0 ? inodes[at] : null;
            if (ino == null) {
                warn("APFS j_drec", "directory record " + Paths.join(dir.path(), d.name())
                        + " points at missing inode " + d.fileId());
                continue;
            }
            if ((ino.mode() & 0170000) == 0040000 && ino.parentId() != dir.inode()) {
                // directories have exactly one parent; a record that disagrees could loop a walk forever
                MalformedException e = new MalformedException("APFS j_drec", -1, "directory record "
                        + Paths.join(dir.path(), d.name()) + " points at directory inode " + d.fileId()
                        + " whose parent is " + ino.parentId() + ", not " + dir.inode() + " (cycle or damage); skipped");
                if (strict) {
                    throw e;
                }
                io().recover(e);
                continue;
            }
            out.add(new ApfsEntry(this, Paths.join(dir.path(), d.name()), ino, d));
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }

    void warn(String structure, String message) {
        io().diagnostics.add(Diagnostic.warning(evidencePath.toString(), structure, -1, message));
    }

    @Override
    public List<Diagnostic> diagnostics() {
        return container.diagnostics();
    }

    /** Snapshots of this volume from its snapshot metadata tree, oldest first. */
    public List<ApfsSnapshot> snapshots() throws IOException {
        List<ApfsSnapshot> s = snapshots;
        if (s != null) {
            return s;
        }
        List<ApfsSnapshot> out = new ArrayList<>();
        if (sb.snapMetaTreeOid() != 0) {
            boolean physical = (sb.snapMetaTreeType() & ObjPhys.FLAG_PHYSICAL) != 0;
            BTree.Resolver virt = oid -> omap.resolve(oid, viewXid, "APFS snapshot metadata tree");
            BTree t = new BTree(io(), "APFS volume \"" + sb.name() + "\" snap_meta tree", sb.snapMetaTreeOid(),
                    physical, virt, checkpoint.xid(), FsTree.order(false));
            t.scan(BTree.ALL, (n, i) -> {
                if (FsTree.type(n.data, n.kOff[i]) != Apfs.J_SNAP_METADATA || n.vOff[i] < 0) {
                    return true;
                }
                int v = n.vOff[i];
                int len = n.vLen[i];
                if (len < 50) {
                    throw new io.vestige.io.TruncatedException("APFS j_snap_metadata_val", n.absOffset + v, 50, len);
                }
                int nl = n.u16(v + 48);
                if (50 + nl > len) {
                    throw new MalformedException("APFS j_snap_metadata_val", n.absOffset + v + 48, "name_len " + nl
                            + " exceeds the value of " + len + " bytes");
                }
                out.add(new ApfsSnapshot(FsTree.cname(n.data, v + 50, nl), FsTree.objId(n.data, n.kOff[i]),
                        n.u64(v + 8), Apfs.time(n.u64(v + 16)), Apfs.time(n.u64(v + 24)), n.u64(v + 32),
                        Integer.toUnsignedLong(n.u32(v + 44))));
                return true;
            });
        }
        s = List.copyOf(out);
        snapshots = s;
        return s;
    }

    /** The same view, failing on the first unreadable subtree (for complete-or-nothing comparisons). */
    public ApfsVolume strict() {
        return strict ? this : new ApfsVolume(container, index, checkpoint, sb, omap, viewXid, snapshot, true);
    }

    public boolean isStrict() {
        return strict;
    }

    /** Opens the snapshot called {@code name}. */
    public ApfsVolume openSnapshot(String name) throws IOException {
        for (ApfsSnapshot s : snapshots()) {
            if (s.name().equals(name)) {
                return openSnapshot(s);
            }
        }
        throw new MalformedException("APFS volume \"" + sb.name() + "\"", -1, "no snapshot named \"" + name
                + "\"; snapshots: " + snapshots().stream().map(ApfsSnapshot::name).toList());
    }

    /** The volume as captured by {@code s}: its superblock copy, resolved through the omap at the snapshot's xid. */
    public ApfsVolume openSnapshot(ApfsSnapshot s) throws IOException {
        ApfsSuperblock copy = container.readApsb(s.sblockOid(), -1, s.xid());
        return new ApfsVolume(container, index, checkpoint, copy, omap, s.xid(), s, strict);
    }

    /** Reads every node of the file-system tree; fails on the first inconsistent one. Returns the node count. */
    public long verifyTree() throws IOException {
        return tree().tree.verifyAll();
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sb.name());
        m.put("uuid", sb.uuid().toString());
        m.put("role", sb.roleName());
        m.put("roleValue", sb.role());
        m.put("index", index);
        m.put("xid", viewXid);
        m.put("checkpointXid", checkpoint.xid());
        m.put("volumeSuperblockBlock", sb.paddr());
        m.put("caseSensitive", !sb.caseInsensitive());
        m.put("encrypted", sb.encrypted());
        m.put("onekey", (sb.fsFlags() & ApfsSuperblock.FS_ONEKEY) != 0);
        m.put("sealed", sb.sealed());
        m.put("volumeGroup", sb.volumeGroupId() == null ? "" : sb.volumeGroupId().toString());
        m.put("containerUuid", container.superblock().uuid().toString());
        m.put("blockSize", container.blockSize());
        m.put("files", sb.numFiles());
        m.put("directories", sb.numDirectories());
        m.put("symlinks", sb.numSymlinks());
        m.put("formattedBy", sb.formattedBy());
        m.put("lastModified", String.valueOf(sb.lastModTime()));
        if (snapshot != null) {
            m.put("snapshot", snapshot.name());
        }
        try {
            m.put("snapshots", snapshots().stream().map(s -> s.name() + " (xid " + s.xid() + ")").toList());
        } catch (IOException e) {
            m.put("snapshots", "unreadable: " + e.getMessage());
        }
        return m;
    }

    static String utf8(byte[] b) {
        int e = b.length;
        while (e > 0 && b[e - 1] == 0) {
            e--;
        }
        return new String(b, 0, e, StandardCharsets.UTF_8);
    }
}
