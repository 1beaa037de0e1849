package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import io.vestige.io.StructReader;
import java.io.IOException;

/**
 * An object map: resolves a virtual object id to the block written by the newest transaction not
 * after a chosen xid ({@code omap_key_t {oid, xid}} → {@code omap_val_t {flags, size, paddr}}),
 * which is what makes checkpoints and snapshots readable (Apple File System Reference, "Object Maps").
 */
final class ObjectMap {
    static final int VAL_DELETED = 1;
    static final int VAL_ENCRYPTED = 4;
    static final int VAL_NOHEADER = 8;

    /** An {@code omap_val_t} and the xid of the key it was found under. */
    record Mapping(long oid, long xid, long flags, long size, long paddr) {
        boolean encrypted() {
            return (flags & VAL_ENCRYPTED) != 0;
        }
    }

    final OmapPhys phys;
    final BTree tree;
    private final BlockReader io;

    ObjectMap(BlockReader io, long paddr, long maxXid, String what) throws IOException {
        this.io = io;
        byte[] b = io.object(paddr, what + " omap_phys");
        StructReader r = StructReader.le(b, io.offsetOf(paddr), what + " omap_phys");
        this.phys = OmapPhys.parse(r);
        if (phys.header().baseType() != ObjPhys.TYPE_OMAP) {
            throw MalformedException.expected(what + " omap_phys", io.offsetOf(paddr) + 24, "object type", "omap (0xb)",
                    String.format("0x%x", phys.header().type()));
        }
        if (phys.header().oid() != paddr) {
            throw MalformedException.expected(what + " omap_phys", io.offsetOf(paddr) + 8, "o_oid (physical)",
                    paddr, phys.header().oid());
        }
        if (maxXid != 0 && Long.compareUnsigned(phys.header().xid(), maxXid) > 0) {
            throw new MalformedException(what + " omap_phys", io.offsetOf(paddr) + 16, "o_xid "
                    + phys.header().xid() + " newer than transaction " + maxXid + ": block reused");
        }
        this.tree = new BTree(io, what + " omap tree", phys.treeOid(), true, null, maxXid, ObjectMap::compareKeys);
    }

    static int compareKeys(byte[] a, int ao, int al, byte[] b, int bo, int bl) {
        int c = Long.compareUnsigned(le64(a, ao), le64(b, bo));
        return c != 0 ? c : Long.compareUnsigned(le64(a, ao + 8), le64(b, bo + 8));
    }

    static long le64(byte[] d, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (d[off + i] & 0xff);
        }
        return v;
    }

    /** The mapping of {@code oid} with the greatest xid ≤ {@code xid}, or null (also when deleted). */
    Mapping lookup(long oid, long xid) throws IOException {
        Mapping[] found = {null};
        tree.scan((d, o, l) -> {
            if (l < 16) {
                return -1;
            }
            int c = Long.compareUnsigned(le64(d, o), oid);
            if (c != 0) {
                return c;
            }
            return Long.compareUnsigned(le64(d, o + 8), xid) > 0 ? 1 : 0;
        }, (n, i) -> {
            if (n.vLen[i] < 16) {
                throw new MalformedException(tree.name, n.absOffset + n.vOff[i], "omap value shorter than 16 bytes");
            }
            int v = n.vOff[i];
            found[0] = new Mapping(oid, le64(n.data, n.kOff[i] + 8), Integer.toUnsignedLong(n.u32(v)),
                    Integer.toUnsignedLong(n.u32(v + 4)), n.u64(v + 8));
            return true;
        });
        Mapping m = found[0];
        if (m != null && (m.flags & VAL_DELETED) != 0) {
            return null;
        }
        return m;
    }

    /** Like {@link #lookup} but fails with a message naming the oid and xid. */
    long resolve(long oid, long xid, String what) throws IOException {
        Mapping m = lookup(oid, xid);
        if (m == null) {
            throw new MalformedException(what, -1, "virtual oid " + Long.toUnsignedString(oid)
                    + " has no object-map entry at xid <= " + Long.toUnsignedString(xid));
        }
        return m.paddr;
    }
}
