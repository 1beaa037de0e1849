package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;

/**
 * {@code btree_node_phys_t}, one validated B-tree node with its table of contents decoded
 * (Apple File System Reference, "B-Trees").
 *
 * <pre>
 * 0  obj_phys  32 u16 btn_flags (1 root, 2 leaf, 4 fixed kv)  34 u16 btn_level  36 u32 btn_nkeys
 * 40 nloc btn_table_space {u16 off, u16 len}  44 free space  48 key free list  52 value free list
 * 56 btn_data: TOC at 56+table.off, keys at 56+table.off+table.len, values counted back from the
 *    end of the block (less the 40-byte btree_info_t in a root node)
 * btree_info_t: 0 u32 flags 4 u32 node_size 8 u32 key_size 12 u32 val_size 16 longest key 20 longest val
 *               24 u64 key_count 32 u64 node_count
 * </pre>
 * Offsets in {@link #kOff}/{@link #vOff} index {@link #data} directly; {@code vOff = -1} is a ghost.
 */
final class BTreeNode {
    static final int FLAG_ROOT = 1;
    static final int FLAG_LEAF = 2;
    static final int FLAG_FIXED = 4;
    static final int INFO_SIZE = 40;
    private static final int HEADER = 56;

    final byte[] data;
    final long paddr;
    final long absOffset;
    final ObjPhys header;
    final int flags;
    final int level;
    final int nkeys;
    final int[] kOff;
    final int[] kLen;
    final int[] vOff;
    final int[] vLen;
    /** From the root's btree_info (0 in non-root nodes). */
    final int infoKeySize;
    final int infoValSize;
    final long infoKeyCount;
    final long infoNodeCount;

    private BTreeNode(byte[] data, long paddr, long absOffset, ObjPhys header, int flags, int level, int nkeys,
                      int[] kOff, int[] kLen, int[] vOff, int[] vLen, int infoKeySize, int infoValSize,
                      long infoKeyCount, long infoNodeCount) {
        this.data = data;
        this.paddr = paddr;
        this.absOffset = absOffset;
        this.header = header;
        this.flags = flags;
        this.level = level;
        this.nkeys = nkeys;
        this.kOff = kOff;
        this.kLen = kLen;
        this.vOff = vOff;
        this.vLen = vLen;
        this.infoKeySize = infoKeySize;
        this.infoValSize = infoValSize;
        this.infoKeyCount = infoKeyCount;
        this.infoNodeCount = infoNodeCount;
    }

    boolean root() {
        return (flags & FLAG_ROOT) != 0;
    }

    boolean leaf() {
        return (flags & FLAG_LEAF) != 0;
    }

    boolean fixed() {
        return (flags & FLAG_FIXED) != 0;
    }

    long u64(int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (data[off + i] & 0xff);
        }
        return v;
    }

    int u32(int off) {
        return (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16
                | (data[off + 3] & 0xff) << 24;
    }

    int u16(int off) {
        return (data[off] & 0xff) | (data[off + 1] & 0xff) << 8;
    }

    /** The child object id held by index entry {@code i} (first 8 bytes of the value). */
    long child(int i) {
        return u64(vOff[i]);
    }

    /**
     * Parses and validates a node block. {@code fixedKeySize}/{@code fixedValSize} come from the
     * tree's root (0 when parsing the root itself, whose btree_info supplies them).
     */
    static BTreeNode parse(byte[] b, long paddr, long abs, String tree, int fixedKeySize, int fixedValSize)
            throws ParseException {
        String st = tree + " node";
        StructReader r = StructReader.le(b, abs, st);
        ObjPhys h = ObjPhys.parse(r);
        int type = h.baseType();
        if (type != ObjPhys.TYPE_BTREE && type != ObjPhys.TYPE_BTREE_NODE) {
            throw MalformedException.expected(st, abs + 24, "object type", "btree (2) or btree node (3)",
                    String.format("0x%x", h.type()));
        }
        int flags = r.u16(32);
        int level = r.u16(34);
        long nkeys = r.u32(36);
        int tOff = r.u16(40);
        int tLen = r.u16(42);
        boolean root = (flags & FLAG_ROOT) != 0;
        boolean leaf = (flags & FLAG_LEAF) != 0;
        boolean fixed = (flags & FLAG_FIXED) != 0;
        if (leaf != (level == 0)) {
            throw new MalformedException(st, abs + 32, "leaf flag " + leaf + " disagrees with level " + level);
        }
        int bs = b.length;
        int valEnd = root ? bs - INFO_SIZE : bs;
        int tocStart = HEADER + tOff;
        int keyStart = tocStart + tLen;
        if (keyStart > valEnd) {
            throw new MalformedException(st, abs + 40, "table space " + tOff + "+" + tLen + " exceeds the node");
        }
        int entry = fixed ? 4 : 8;
        if (nkeys > tLen / entry) {
            throw MalformedException.expected(st, abs + 36, "btn_nkeys", "at most " + (tLen / entry)
                    + " (table space " + tLen + " bytes)", nkeys);
        }
        int infoKey = 0;
        int infoVal = 0;
        long infoKeys = 0;
        long infoNodes = 0;
        if (root) {
            int io = bs - INFO_SIZE;
            infoKey = (int) Math.min(Integer.MAX_VALUE, r.u32(io + 8));
            infoVal = (int) Math.min(Integer.MAX_VALUE, r.u32(io + 12));
            infoKeys = r.u64(io + 24);
            infoNodes = r.u64(io + 32);
            if (fixedKeySize == 0) {
                fixedKeySize = infoKey;
                fixedValSize = infoVal;
            }
        }
        int n = (int) nkeys;
        int[] ko = new int[n];
        int[] kl = new int[n];
        int[] vo = new int[n];
        int[] vl = new int[n];
        for (int i = 0; i < n; i++) {
            int t = tocStart + i * entry;
            int k;
            int klen;
            int v;
            int vlen;
            if (fixed) {
                k = r.u16(t);
                v = r.u16(t + 2);
                klen = fixedKeySize;
                vlen = leaf ? fixedValSize : 8;
                if (klen <= 0) {
                    throw new MalformedException(st, abs, "fixed-size node without a key size from its root");
                }
            } else {
                k = r.u16(t);
                klen = r.u16(t + 2);
                v = r.u16(t + 4);
                vlen = r.u16(t + 6);
            }
            int ka = keyStart + k;
            if (klen < 8 || klen > valEnd - ka) {
                throw new MalformedException(st, abs + t, "key " + i + " at " + k + "+" + klen
                        + " outside the key area");
            }
            ko[i] = ka;
            kl[i] = klen;
            if (v == 0xffff) {
                vo[i] = -1;
                vl[i] = 0;
                if (!leaf) {
                    throw new MalformedException(st, abs + t, "index entry " + i + " without a child value");
                }
                continue;
            }
            int va = valEnd - v;
            if (va < keyStart || vlen < 0 || vlen > valEnd - va) {
                throw new MalformedException(st, abs + t, "value " + i + " at -" + v + "+" + vlen
                        + " outside the value area");
            }
            if (!leaf && vlen < 8) {
                throw new MalformedException(st, abs + t, "index entry " + i + " value shorter than a child oid");
            }
            vo[i] = va;
            vl[i] = vlen;
        }
        return new BTreeNode(b, paddr, abs, h, flags, level, n, ko, kl, vo, vl, infoKey, infoVal, infoKeys,
                infoNodes);
    }
}
