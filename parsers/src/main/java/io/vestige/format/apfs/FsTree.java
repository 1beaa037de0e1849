package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Typed record access to a volume's file-system tree ({@code j_key_t} keyed: obj id in the low 60
 * bits, record type in the top 4), plus the sealed-volume {@code fext_tree} for file extents.
 * Every query is a key-range scan.
 */
final class FsTree {
    final BTree tree;
    final BTree fext;
    final boolean hashed;
    private final int maxName;

    FsTree(BTree tree, BTree fext, boolean hashed, int maxName) {
        this.tree = tree;
        this.fext = fext;
        this.hashed = hashed;
        this.maxName = maxName;
    }

    static long objId(byte[] d, int off) {
        return ObjectMap.le64(d, off) & Apfs.OBJ_ID_MASK;
    }

    static int type(byte[] d, int off) {
        return (int) (ObjectMap.le64(d, off) >>> 60);
    }

    /** Key order of file-system trees: obj id, type, then the u64 tail or the name hash. */
    static BTree.KeyOrder order(boolean hashed) {
        return (a, ao, al, b, bo, bl) -> {
            int c = Long.compareUnsigned(objId(a, ao), objId(b, bo));
            if (c != 0) {
                return c;
            }
            int ta = type(a, ao);
            int tb = type(b, bo);
            if (ta != tb) {
                return Integer.compare(ta, tb);
            }
            if ((ta == Apfs.J_FILE_EXTENT || ta == Apfs.J_SIBLING_LINK) && al >= 16 && bl >= 16) {
                return Long.compareUnsigned(ObjectMap.le64(a, ao + 8), ObjectMap.le64(b, bo + 8));
            }
            if (ta == Apfs.J_DIR_REC && hashed && al >= 12 && bl >= 12) {
                return Integer.compare(u32(a, ao + 8) >>> 10, u32(b, bo + 8) >>> 10);
            }
            return 0;
        };
    }

    static int u32(byte[] d, int off) {
        return (d[off] & 0xff) | (d[off + 1] & 0xff) << 8 | (d[off + 2] & 0xff) << 16 | (d[off + 3] & 0xff) << 24;
    }

    static BTree.KeyRange range(long id, int type) {
        return (d, o, l) -> {
            int c = Long.compareUnsigned(objId(d, o), id);
            return c != 0 ? c : Integer.compare(type(d, o), type);
        };
    }

    JInode inode(long id) throws IOException {
        JInode[] r = {null};
        tree.scan(range(id, Apfs.J_INODE), (n, i) -> {
            if (n.vOff[i] >= 0) {
                r[0] = JInode.parse(id, n.data, n.vOff[i], n.vLen[i], n.absOffset + n.vOff[i], n.header.xid());
            }
            return false;
        });
        return r[0];
    }

    /** Largest id gap bridged by one range scan when fetching many inodes at once. */
    private static final long RUN_GAP = 256;

    /**
     * The inode records of {@code ids} (sorted ascending), index-aligned with it, fetched with one descent and a
     * sequential leaf walk per run of nearby ids instead of one lookup per id. Missing ids stay null.
     */
    JInode[] inodes(long[] ids) throws IOException {
        JInode[] out = new JInode[ids.length];
        int i = 0;
        while (i < ids.length) {
            int j = i;
            while (j + 1 < ids.length && ids[j + 1] - ids[j] <= RUN_GAP && ids[j + 1] >= ids[j]) {
                j++;
            }
            long lo = ids[i];
            long hi = ids[j];
            int from = i;
            int to = j + 1;
            if (from + 1 == to) {
                out[i] = inode(lo);
            } else {
                tree.scan((d, o, l) -> {
                    long id = objId(d, o);
                    return Long.compareUnsigned(id, lo) < 0 ? -1 : Long.compareUnsigned(id, hi) > 0 ? 1 : 0;
                }, (n, k) -> {
                    int ko = n.kOff[k];
                    if (type(n.data, ko) == Apfs.J_INODE && n.vOff[k] >= 0) {
                        long id = objId(n.data, ko);
                        int at = java.util.Arrays.binarySearch(ids, from, to, id);
                        if (at >= 0) {
                            JInode ino = JInode.parse(id, n.data, n.vOff[k], n.vLen[k], n.absOffset + n.vOff[k],
                                    n.header.xid());
                            // the same id may be listed twice (hard links in one folder)
                            for (int a = at; a >= from && ids[a] == id; a--) {
                                out[a] = ino;
                            }
                            for (int a = at + 1; a < to && ids[a] == id; a++) {
                                out[a] = ino;
                            }
                        }
                    }
                    return true;
                });
            }
            i = j + 1;
        }
        return out;
    }

    JDrec drec(BTreeNode n, int i) throws IOException {
        byte[] d = n.data;
        int ko = n.kOff[i];
        int kl = n.kLen[i];
        long parent = objId(d, ko);
        int nameOff;
        int nameLen;
        int hash = 0;
        if (hashed) {
            if (kl < 12) {
                throw new TruncatedException("APFS j_drec_hashed_key", n.absOffset + ko, 12, kl);
            }
            int lh = u32(d, ko + 8);
            nameLen = lh & 0x3ff;
            hash = lh >>> 10;
            nameOff = ko + 12;
        } else {
            if (kl < 10) {
                throw new TruncatedException("APFS j_drec_key", n.absOffset + ko, 10, kl);
            }
            nameLen = (d[ko + 8] & 0xff) | (d[ko + 9] & 0xff) << 8;
            nameOff = ko + 10;
        }
        if (nameOff + nameLen > ko + kl || nameLen > maxName) {
            throw new MalformedException("APFS j_drec key", n.absOffset + ko, "name length " + nameLen
                    + " exceeds the key of " + kl + " bytes");
        }
        String name = cname(d, nameOff, nameLen);
        if (n.vOff[i] < 0 || n.vLen[i] < 18) {
            throw new TruncatedException("APFS j_drec_val", n.absOffset + Math.max(0, n.vOff[i]), 18, n.vLen[i]);
        }
        int v = n.vOff[i];
        long sibling = -1;
        if (n.vLen[i] > 18) {
            XFields x = XFields.parse(d, v + 18, v + n.vLen[i], "APFS j_drec_val xfields", n.absOffset);
            int si = x.find(JDrec.XF_SIBLING_ID);
            sibling = si >= 0 ? x.u64(si, 0) : -1;
        }
        return new JDrec(parent, name, ObjectMap.le64(d, v), ObjectMap.le64(d, v + 8), n.u16(v + 16), sibling, hash);
    }

    static String cname(byte[] d, int off, int len) {
        int e = off + len;
        while (e > off && d[e - 1] == 0) {
            e--;
        }
        return new String(d, off, e - off, StandardCharsets.UTF_8);
    }

    /** Directory records of {@code dirId} in key order (hash order on hashed volumes). */
    List<JDrec> children(long dirId, long maxEntries) throws IOException {
        List<JDrec> out = new ArrayList<>();
        tree.scan(range(dirId, Apfs.J_DIR_REC), (n, i) -> {
            if (out.size() >= maxEntries) {
                throw new io.vestige.io.LimitExceededException("APFS directory " + dirId, n.absOffset,
                        "maxDirectoryEntries", maxEntries, out.size() + 1);
            }
            out.add(drec(n, i));
            return true;
        });
        return out;
    }

    /** The directory record called {@code name} in {@code dirId} (exact byte match), or null. */
    JDrec child(long dirId, String name) throws IOException {
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        JDrec[] r = {null};
        tree.scan(range(dirId, Apfs.J_DIR_REC), (n, i) -> {
            JDrec d = drec(n, i);
            if (Arrays.equals(d.name().getBytes(StandardCharsets.UTF_8), want)) {
                r[0] = d;
                return false;
            }
            return true;
        });
        return r[0];
    }

    List<JXattr> xattrs(long id) throws IOException {
        List<JXattr> out = new ArrayList<>();
        tree.scan(range(id, Apfs.J_XATTR), (n, i) -> {
            out.add(xattr(n, i));
            return true;
        });
        return out;
    }

    JXattr xattr(long id, String name) throws IOException {
        for (JXattr x : xattrs(id)) {
            if (x.name().equals(name)) {
                return x;
            }
        }
        return null;
    }

    private JXattr xattr(BTreeNode n, int i) throws IOException {
        byte[] d = n.data;
        int ko = n.kOff[i];
        int kl = n.kLen[i];
        if (kl < 10) {
            throw new TruncatedException("APFS j_xattr_key", n.absOffset + ko, 10, kl);
        }
        int nl = (d[ko + 8] & 0xff) | (d[ko + 9] & 0xff) << 8;
        if (10 + nl > kl) {
            throw new MalformedException("APFS j_xattr_key", n.absOffset + ko, "name length " + nl
                    + " exceeds the key of " + kl + " bytes");
        }
        String name = cname(d, ko + 10, nl);
        int v = n.vOff[i];
        if (v < 0 || n.vLen[i] < 4) {
            throw new TruncatedException("APFS j_xattr_val", n.absOffset + Math.max(0, v), 4, n.vLen[i]);
        }
        int flags = n.u16(v);
        int len = n.u16(v + 2);
        if (4 + len > n.vLen[i]) {
            throw new MalformedException("APFS j_xattr_val", n.absOffset + v, "xdata_len " + len
                    + " exceeds the value of " + n.vLen[i] + " bytes");
        }
        long owner = objId(d, ko);
        if ((flags & JXattr.DATA_STREAM) != 0) {
            if (len < 16) {
                throw new TruncatedException("APFS j_xattr_dstream", n.absOffset + v + 4, 16, len);
            }
            return new JXattr(owner, name, flags, null, ObjectMap.le64(d, v + 4), ObjectMap.le64(d, v + 12));
        }
        return new JXattr(owner, name, flags, Arrays.copyOfRange(d, v + 4, v + 4 + len), 0, len);
    }

    /** The file extents of data stream {@code streamId} (an inode's private id or an xattr stream oid). */
    List<JFileExtent> extents(long streamId, long maxEntries) throws IOException {
        List<JFileExtent> out = new ArrayList<>();
        BTree.Visitor v = (n, i) -> {
            if (out.size() >= maxEntries) {
                throw new io.vestige.io.LimitExceededException("APFS extents of " + streamId, n.absOffset,
                        "maxTableEntries", maxEntries, out.size() + 1);
            }
            int ko = n.kOff[i];
            int vo = n.vOff[i];
            int minVal = fext != null ? 16 : 24;
            if (n.kLen[i] < 16 || vo < 0 || n.vLen[i] < minVal) {
                throw new TruncatedException("APFS file extent", n.absOffset + ko, minVal, Math.max(0, n.vLen[i]));
            }
            long lf = ObjectMap.le64(n.data, vo);
            out.add(new JFileExtent(ObjectMap.le64(n.data, ko + 8), lf & JFileExtent.LEN_MASK, (int) (lf >>> 56),
                    ObjectMap.le64(n.data, vo + 8), fext != null ? 0 : ObjectMap.le64(n.data, vo + 16)));
            return true;
        };
        if (fext != null) {
            fext.scan((d, o, l) -> Long.compareUnsigned(ObjectMap.le64(d, o), streamId), v);
        } else {
            tree.scan(range(streamId, Apfs.J_FILE_EXTENT), v);
        }
        return out;
    }

    /** Sibling links (hard-link names) of inode {@code id}: {sibling id, parent id, name}. */
    List<long[]> siblingIds(long id) throws IOException {
        List<long[]> out = new ArrayList<>();
        tree.scan(range(id, Apfs.J_SIBLING_LINK), (n, i) -> {
            if (n.kLen[i] >= 16 && n.vOff[i] >= 0 && n.vLen[i] >= 8) {
                out.add(new long[] {ObjectMap.le64(n.data, n.kOff[i] + 8), ObjectMap.le64(n.data, n.vOff[i])});
            }
            return true;
        });
        return out;
    }

    static int compareFext(byte[] a, int ao, int al, byte[] b, int bo, int bl) {
        return ObjectMap.compareKeys(a, ao, al, b, bo, bl);
    }
}
