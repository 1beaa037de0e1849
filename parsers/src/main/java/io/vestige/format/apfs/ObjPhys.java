package io.vestige.format.apfs;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;

/**
 * {@code obj_phys_t}, the 32-byte header of every APFS object (Apple File System Reference, "Objects").
 *
 * <pre>
 * 0  u64 o_cksum   Fletcher-64 of bytes 8..end
 * 8  u64 o_oid     object id (physical: its block address)
 * 16 u64 o_xid     transaction id that wrote it
 * 24 u32 o_type    low 16 bits type; flags 0x80000000 ephemeral, 0x40000000 physical, 0x10000000 encrypted
 * 28 u32 o_subtype
 * </pre>
 */
public record ObjPhys(long cksum, long oid, long xid, long type, long subtype) {
    public static final int SIZE = 32;
    public static final int TYPE_NX_SUPERBLOCK = 0x01;
    public static final int TYPE_BTREE = 0x02;
    public static final int TYPE_BTREE_NODE = 0x03;
    public static final int TYPE_OMAP = 0x0b;
    public static final int TYPE_CHECKPOINT_MAP = 0x0c;
    public static final int TYPE_FS = 0x0d;
    public static final int TYPE_FSTREE = 0x0e;
    public static final int TYPE_SNAPMETATREE = 0x10;
    public static final int TYPE_FEXT_TREE = 0x1f;
    public static final long FLAG_EPHEMERAL = 0x80000000L;
    public static final long FLAG_PHYSICAL = 0x40000000L;
    public static final long FLAG_ENCRYPTED = 0x10000000L;

    static ObjPhys parse(StructReader r) throws TruncatedException {
        return new ObjPhys(r.u64(0), r.u64(8), r.u64(16), r.u32(24), r.u32(28));
    }

    /** The object type without its storage flags. */
    public int baseType() {
        return (int) (type & 0xffff);
    }

    public boolean physical() {
        return (type & FLAG_PHYSICAL) != 0;
    }

    public boolean ephemeral() {
        return (type & FLAG_EPHEMERAL) != 0;
    }
}
