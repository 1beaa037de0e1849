package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import io.vestige.io.StructReader;
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
 */
public record JInode(long id, long parentId, long privateId, long createTime, long modTime, long changeTime,
                     long accessTime, long internalFlags, long nchildrenOrNlink, long protectionClass,
                     long writeGeneration, long bsdFlags, long uid, long gid, int mode, long uncompressedSize,
                     String name, boolean hasDstream, long dstreamSize, long dstreamAlloced, long defaultCryptoId,
                     long sparseBytes, long rdev, long documentId) {
    public static final long INODE_IS_SPARSE = 0x200;
    public static final long INODE_HAS_RSRC_FORK = 0x4000;
    public static final long UF_COMPRESSED = 0x20;
    public static final long SF_DATALESS = 0x40000000L;
    static final int XF_DOCUMENT_ID = 3;
    static final int XF_NAME = 4;
    static final int XF_DSTREAM = 8;
    static final int XF_SPARSE_BYTES = 13;
    static final int XF_RDEV = 14;

    static JInode parse(long id, byte[] d, int off, int len, long abs) throws TruncatedException, MalformedException {
        if (len < 92) {
            throw new TruncatedException("APFS j_inode_val", abs, 92, len);
        }
        StructReader r = StructReader.le(java.util.Arrays.copyOfRange(d, off, off + len), abs, "APFS j_inode_val");
        XFields x = XFields.parse(r.array(), 92, len, "APFS j_inode_val xfields", abs);
        String name = null;
        int ni = x.find(XF_NAME);
        if (ni >= 0) {
            int s = x.offsets[ni];
            int e = s;
            while (e < s + x.sizes[ni] && r.array()[e] != 0) {
                e++;
            }
            name = new String(r.array(), s, e - s, StandardCharsets.UTF_8);
        }
        int di = x.find(XF_DSTREAM);
        boolean hasDs = di >= 0 && x.sizes[di] >= 24;
        return new JInode(id, r.u64(0), r.u64(8), r.u64(16), r.u64(24), r.u64(32), r.u64(40), r.u64(48), r.u32(56),
                r.u32(60), r.u32(64), r.u32(68), r.u32(72), r.u32(76), r.u16(80), r.u64(84), name, hasDs,
                hasDs ? x.u64(di, 0) : 0, hasDs ? x.u64(di, 8) : 0, hasDs ? x.u64(di, 16) : 0,
                x.find(XF_SPARSE_BYTES) >= 0 ? x.u64(x.find(XF_SPARSE_BYTES), 0) : 0,
                x.find(XF_RDEV) >= 0 ? Integer.toUnsignedLong((int) x.u64OrU32(x.find(XF_RDEV))) : 0,
                x.find(XF_DOCUMENT_ID) >= 0 ? Integer.toUnsignedLong((int) x.u64OrU32(x.find(XF_DOCUMENT_ID))) : 0);
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
