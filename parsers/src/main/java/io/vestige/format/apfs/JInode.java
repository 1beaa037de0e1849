package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;

/**
 * {@code j_inode_val_t}, an inode record (key type 3) with the extended fields Vestige uses
 * (Apple File System Reference, "File-System Objects"; offsets as in apfsprogs raw.h).
 *
 * <pre>
 * 0  u64 parent_id  8 u64 private_id (file extents are keyed by it)  16 create_time  24 mod_time
 * 32 change_time  40 access_time (ns since 1970 UTC)  48 u64 internal_flags  56 u32 nchildren|nlink
 * 60 u32 default_protection_class  64 u32 write_generation_counter  68 u32 bsd_flags  72 u32 owner
 * 76 u32 group  80 u16 mode  84 u64 uncompressed_size  92 xfields
 * xfield types: 3 document id, 4 name, 8 dstream {size, alloced_size, default_crypto_id, …},
 * 13 sparse bytes, 14 rdev
 * </pre>
 * {@code recordXid} is not part of the value: it is the xid of the B-tree node the record was read
 * from, i.e. the transaction that last wrote that node (an upper bound for the record's last change).
 */
public record JInode(long id, long parentId, long privateId, long createTime, long modTime, long changeTime,
                     long accessTime, long internalFlags, long nchildrenOrNlink, long protectionClass,
                     long writeGeneration, long bsdFlags, long uid, long gid, int mode, long uncompressedSize,
                     String name, boolean hasDstream, long dstreamSize, long dstreamAlloced, long defaultCryptoId,
                     long sparseBytes, long rdev, long documentId, long recordXid) {
    public static final long INODE_IS_SPARSE = 0x200;
    public static final long INODE_HAS_RSRC_FORK = 0x4000;
    public static final long UF_COMPRESSED = 0x20;
    public static final long SF_DATALESS = 0x40000000L;
    static final int XF_DOCUMENT_ID = 3;
    static final int XF_NAME = 4;
    static final int XF_DSTREAM = 8;
    static final int XF_SPARSE_BYTES = 13;
    static final int XF_RDEV = 14;

    static JInode parse(long id, byte[] d, int off, int len, long abs, long recordXid) throws TruncatedException, MalformedException {
        if (len < 92) {
            throw new TruncatedException("APFS j_inode_val", abs, 92, len);
        }
        // read in place: one inode per listed entry, so no copies and no per-field objects
        String name = null;
        boolean hasDs = false;
        long dsSize = 0;
        long dsAlloc = 0;
        long dsCrypto = 0;
        long sparse = 0;
        long rdev = 0;
        long docId = 0;
        int end = off + len;
        int xf = off + 92;
        if (end - xf >= 4) {
            int n = u16(d, xf);
            int headers = xf + 4;
            int p = headers + 4 * n;
            if (p > end) {
                throw new MalformedException("APFS j_inode_val xfields", abs + 92, "xf_num_exts " + n
                        + " does not fit in " + (len - 92) + " bytes");
            }
            for (int i = 0; i < n; i++) {
                int h = headers + 4 * i;
                int type = d[h] & 0xff;
                int size = u16(d, h + 2);
                if (p + size > end) {
                    throw new MalformedException("APFS j_inode_val xfields", abs + (h - off), "extended field " + i
                            + " (type " + type + ", " + size + " bytes) runs past the record");
                }
                switch (type) {
                    case XF_NAME -> {
                        int e = p;
                        while (e < p + size && d[e] != 0) {
                            e++;
                        }
                        name = new String(d, p, e - p, StandardCharsets.UTF_8);
                    }
                    case XF_DSTREAM -> {
                        if (size >= 24) {
                            hasDs = true;
                            dsSize = ObjectMap.le64(d, p);
                            dsAlloc = ObjectMap.le64(d, p + 8);
                            dsCrypto = ObjectMap.le64(d, p + 16);
                        }
                    }
                    case XF_SPARSE_BYTES -> sparse = size >= 8 ? ObjectMap.le64(d, p) : 0;
                    case XF_RDEV -> rdev = size >= 4 ? Integer.toUnsignedLong(FsTree.u32(d, p)) : 0;
                    case XF_DOCUMENT_ID -> docId = size >= 4 ? Integer.toUnsignedLong(FsTree.u32(d, p)) : 0;
                    default -> {
                    }
                }
                p += (size + 7) & ~7;
            }
        }
        return new JInode(id, ObjectMap.le64(d, off), ObjectMap.le64(d, off + 8), ObjectMap.le64(d, off + 16),
                ObjectMap.le64(d, off + 24), ObjectMap.le64(d, off + 32), ObjectMap.le64(d, off + 40),
                ObjectMap.le64(d, off + 48), u32(d, off + 56), u32(d, off + 60), u32(d, off + 64), u32(d, off + 68),
                u32(d, off + 72), u32(d, off + 76), u16(d, off + 80), ObjectMap.le64(d, off + 84), name, hasDs, dsSize,
                dsAlloc, dsCrypto, sparse, rdev, docId, recordXid);
    }

    private static int u16(byte[] d, int o) {
        return (d[o] & 0xff) | (d[o + 1] & 0xff) << 8;
    }

    private static long u32(byte[] d, int o) {
        return Integer.toUnsignedLong(FsTree.u32(d, o));
    }

    public int fileType() {
        return mode & 0170000;
    }

    public boolean compressed() {
        return (bsdFlags & UF_COMPRESSED) != 0;
    }

    public boolean dataless() {
        return (bsdFlags & SF_DATALESS) != 0;
    }
}
