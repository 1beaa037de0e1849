package io.vestige.format.tsk;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a {@link TskFileSystem}: a TSK name record and its inode's metadata. A time TSK
 * reports as 0 seconds and 0 nanoseconds is TSK's "not recorded" and becomes {@code null}.
 */
final class TskFileEntry implements FileEntry {
    private final TskFileSystem owner;
    private final TskFileEntry parent;
    private final String name;
    private final String path;
    private final TskFsName nameRecord;
    private final TskFsMeta meta;
    private final int depth;

    TskFileEntry(TskFileSystem owner, TskFileEntry parent, String name, String path, TskFsName nameRecord,
                 TskFsMeta meta, int depth) {
        this.owner = owner;
        this.parent = parent;
        this.name = name;
        this.path = path;
        this.nameRecord = nameRecord;
        this.meta = meta;
        this.depth = depth;
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
        if (meta != null && meta.type() != TskFsMeta.TYPE_UNDEF) {
            return switch (meta.type()) {
                case TskFsMeta.TYPE_REG, TskFsMeta.TYPE_VIRT -> EntryKind.FILE;
                case TskFsMeta.TYPE_DIR, TskFsMeta.TYPE_VIRT_DIR -> EntryKind.DIRECTORY;
                case TskFsMeta.TYPE_LNK -> EntryKind.SYMLINK;
                case TskFsMeta.TYPE_FIFO -> EntryKind.FIFO;
                case TskFsMeta.TYPE_CHR -> EntryKind.CHAR_DEVICE;
                case TskFsMeta.TYPE_BLK -> EntryKind.BLOCK_DEVICE;
                case TskFsMeta.TYPE_SOCK -> EntryKind.SOCKET;
                case TskFsMeta.TYPE_WHT -> EntryKind.WHITEOUT;
                default -> EntryKind.OTHER;
            };
        }
        if (nameRecord != null) {
            return switch (nameRecord.type()) {
                case TskFsName.TYPE_REG, TskFsName.TYPE_VIRT -> EntryKind.FILE;
                case TskFsName.TYPE_DIR, TskFsName.TYPE_VIRT_DIR -> EntryKind.DIRECTORY;
                case TskFsName.TYPE_LNK -> EntryKind.SYMLINK;
                case TskFsName.TYPE_FIFO -> EntryKind.FIFO;
                case TskFsName.TYPE_CHR -> EntryKind.CHAR_DEVICE;
                case TskFsName.TYPE_BLK -> EntryKind.BLOCK_DEVICE;
                case TskFsName.TYPE_SOCK -> EntryKind.SOCKET;
                case TskFsName.TYPE_WHT -> EntryKind.WHITEOUT;
                default -> EntryKind.OTHER;
            };
        }
        return EntryKind.OTHER;
    }

    private volatile long resolvedSize = -1;

    @Override
    public long size() {
        if (meta == null || kind() == EntryKind.DIRECTORY) {
            return 0;
        }
        long s = resolvedSize;
        if (s < 0) {
            s = Math.max(0, meta.size());
            if (s == 0 && meta.type() == TskFsMeta.TYPE_REG && "apfs".equals(owner.type())) {
                // TSK 4.11 takes an APFS file's size from its data stream, which a transparently
                // compressed file lacks; the decompressed length is the default attribute's size
                try {
                    s = Math.max(0, owner.fs().defaultAttributeSize(meta.addr()));
                } catch (IOException e) {
                    s = 0;
                }
            }
            resolvedSize = s;
        }
        return s;
    }

    @Override
    public long inode() {
        if (meta != null) {
            return meta.addr();
        }
        return nameRecord == null ? -1 : nameRecord.metaAddr();
    }

    @Override
    public int mode() {
        if (meta == null) {
            return -1;
        }
        int typeBits = switch (kind()) {
            case FILE, HARDLINK -> 0100000;
            case DIRECTORY -> 0040000;
            case SYMLINK -> 0120000;
            case FIFO -> 0010000;
            case CHAR_DEVICE -> 0020000;
            case BLOCK_DEVICE -> 0060000;
            case SOCKET -> 0140000;
            case WHITEOUT -> 0160000;
            case OTHER -> 0;
        };
        return typeBits | (meta.mode() & 07777);
    }

    @Override
    public long uid() {
        return meta == null ? -1 : meta.uid();
    }

    @Override
    public long gid() {
        return meta == null ? -1 : meta.gid();
    }

    @Override
    public long linkCount() {
        return meta == null ? -1 : meta.nlink();
    }

    @Override
    public FileTimes times() {
        if (meta == null) {
            return FileTimes.NONE;
        }
        Instant added = null;
        if (nameRecord != null && nameRecord.dateAdded() != 0) {
            added = Instant.ofEpochSecond(0, nameRecord.dateAdded());
        }
        return new FileTimes(time(meta.crtime(), meta.crtimeNano()), time(meta.mtime(), meta.mtimeNano()),
                time(meta.ctime(), meta.ctimeNano()), time(meta.atime(), meta.atimeNano()), added);
    }

    static Instant time(long seconds, int nanos) {
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        long ns = Integer.toUnsignedLong(nanos);
        try {
            return ns < 1_000_000_000L ? Instant.ofEpochSecond(seconds, ns) : Instant.ofEpochSecond(seconds);
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    public String linkTarget() {
        if (meta == null || meta.link() == null || kind() != EntryKind.SYMLINK) {
            return null;
        }
        return meta.link();
    }

    @Override
    public ByteSource content() throws IOException {
        if (!isFile() || meta == null || size() == 0) {
            return ByteSources.empty();
        }
        return new TskContent(owner.fs(), meta.addr(), size(), owner.evidencePath() + " inode " + meta.addr());
    }

    @Override
    public List<Xattr> xattrs() throws IOException {
        if (meta == null || kind() == EntryKind.OTHER) {
            return List.of();
        }
        List<TskFsAttr> attrs = owner.fs().attributes(meta.addr(), owner.limits);
        List<Xattr> out = new ArrayList<>();
        for (int i = 0; i < attrs.size(); i++) {
            String n = attrs.get(i).xattrName();
            if (n != null) {
                byte[] b = owner.fs().readAttribute(meta.addr(), i, owner.limits);
                out.add(new Xattr(n, b.length, ByteSources.wrap(b, path + " xattr " + n)));
            }
        }
        out.sort(Comparator.comparing(Xattr::name));
        return out;
    }

    @Override
    public List<FileEntry> children() throws IOException {
        if (!isDirectory() || meta == null) {
            return List.of();
        }
        if (depth >= TskFileSystem.MAX_DEPTH) {
            throw new MalformedException("TSK directory " + path, -1, "nesting deeper than " + TskFileSystem.MAX_DEPTH);
        }
        List<FileEntry> out = new ArrayList<>();
        for (TskFs.Child c : owner.fs().list(meta.addr(), owner.limits)) {
            boolean alloc = c.name().allocated();
            if (!alloc && !owner.includeDeleted) {
                continue;
            }
            String childName = c.name().name();
            if (childName.isEmpty() || childName.indexOf('/') >= 0) {
                owner.diagnose(Diagnostic.warning(owner.evidencePath().toString(), "TSK_FS_NAME", -1,
                        "entry of " + path + " with unusable name \"" + childName + "\" (inode "
                                + c.name().metaAddr() + ") skipped"));
                continue;
            }
            long inum = c.meta() != null ? c.meta().addr() : c.name().metaAddr();
            boolean isDirName = c.name().type() == TskFsName.TYPE_DIR || c.name().type() == TskFsName.TYPE_VIRT_DIR;
            if (isDirName && onAncestorChain(inum)) {
                owner.diagnose(Diagnostic.warning(owner.evidencePath().toString(), "TSK_FS_DIR", -1,
                        "directory " + path + "/" + childName + " (inode " + inum
                                + ") is its own ancestor; cycle not followed"));
                continue;
            }
            String childPath = path.equals("/") ? "/" + childName : path + "/" + childName;
            out.add(new TskFileEntry(owner, this, childName, childPath, c.name(), c.meta(), depth + 1));
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }

    private boolean onAncestorChain(long inum) {
        for (TskFileEntry e = this; e != null; e = e.parent) {
            if (e.inode() == inum) {
                return true;
            }
        }
        return false;
    }

    @Override
    public EvidencePath evidencePath() {
        return owner.evidencePath().then("inode", Long.toUnsignedString(inode())).thenPath(path);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new TreeMap<>();
        if (meta != null) {
            m.put("tsk.metaFlags", meta.flags());
            m.put("tsk.metaType", meta.type());
            if (meta.compressed()) {
                m.put("compressed", true);
            }
            if (isDirectory()) {
                m.put("tsk.size", meta.size());
            }
            if (meta.seq() != 0) {
                m.put("tsk.seq", meta.seq());
            }
        }
        if (nameRecord != null) {
            m.put("tsk.nameType", nameRecord.type());
            if (!nameRecord.allocated()) {
                m.put("deleted", true);
            }
            if (nameRecord.shortName() != null && !nameRecord.shortName().isEmpty()) {
                m.put("shortName", nameRecord.shortName());
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return path + " (inode " + inode() + ", " + kind().label() + ")";
    }
}
