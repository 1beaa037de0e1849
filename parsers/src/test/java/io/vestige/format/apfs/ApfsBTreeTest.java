package io.vestige.format.apfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Object-map B-trees built by hand in memory (layout per Apple File System Reference "B-Trees":
 * 56-byte node header, fixed 16/16-byte omap entries, 40-byte btree_info in the root) to check
 * the lookup rule and every defence against hostile trees.
 */
class ApfsBTreeTest {
    static final int BS = 4096;

    /** A fixed-kv omap node: keys {oid, xid}; leaf values {flags, size, paddr}; index values child paddr. */
    static void node(byte[] img, int block, boolean root, int level, long[][] entries) {
        int o = block * BS;
        int n = entries.length;
        put64(img, o + 8, block);
        put64(img, o + 16, 1);
        put32(img, o + 24, 0x40000000 | (root ? 2 : 3));
        put32(img, o + 28, 0x0b);
        put16(img, o + 32, (root ? 1 : 0) | (level == 0 ? 2 : 0) | 4);
        put16(img, o + 34, level);
        put32(img, o + 36, n);
        put16(img, o + 40, 0);
        put16(img, o + 42, n * 4);
        int keys = o + 56 + n * 4;
        int valEnd = o + BS - (root ? 40 : 0);
        int vsize = level == 0 ? 16 : 8;
        for (int i = 0; i < n; i++) {
            put16(img, o + 56 + i * 4, i * 16);
            put16(img, o + 56 + i * 4 + 2, (i + 1) * vsize);
            put64(img, keys + i * 16, entries[i][0]);
            put64(img, keys + i * 16 + 8, entries[i][1]);
            int v = valEnd - (i + 1) * vsize;
            if (level == 0) {
                put32(img, v, (int) entries[i][2]);
                put32(img, v + 4, BS);
                put64(img, v + 8, entries[i][3]);
            } else {
                put64(img, v, entries[i][2]);
            }
        }
        if (root) {
            int info = o + BS - 40;
            put32(img, info + 4, BS);
            put32(img, info + 8, 16);
            put32(img, info + 12, 16);
        }
        sign(img, o);
    }

    static void sign(byte[] img, int o) {
        byte[] b = java.util.Arrays.copyOfRange(img, o, o + BS);
        long c = Fletcher64.compute(b, BS);
        put64(img, o, c);
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int o, int v) {
        put16(b, o, v);
        put16(b, o + 2, v >>> 16);
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, (int) v);
        put32(b, o + 4, (int) (v >>> 32));
    }

    static BlockReader reader(byte[] img, ParseLimits limits, Diagnostics d) {
        return new BlockReader(ByteSources.wrap(img, "mem"), BS, img.length / BS, limits, d);
    }

    static BTree omapTree(byte[] img, Diagnostics d) throws Exception {
        return new BTree(reader(img, ParseLimits.defaults(), d), "test omap", 1, true, null, 0, ObjectMap::compareKeys);
    }

    static ObjectMap.Mapping lookup(BTree t, long oid, long xid) throws Exception {
        ObjectMap.Mapping[] r = {null};
        t.scan((dd, o, l) -> {
            int c = Long.compareUnsigned(ObjectMap.le64(dd, o), oid);
            return c != 0 ? c : Long.compareUnsigned(ObjectMap.le64(dd, o + 8), xid) > 0 ? 1 : 0;
        }, (n, i) -> {
            int v = n.vOff[i];
            r[0] = new ObjectMap.Mapping(oid, ObjectMap.le64(n.data, n.kOff[i] + 8), n.u32(v), n.u32(v + 4), n.u64(v + 8));
            return true;
        });
        return r[0];
    }

    /** Two leaves under one root; the versions of oid 1026 straddle the leaf boundary. */
    static byte[] twoLevel() {
        byte[] img = new byte[BS * 4];
        node(img, 2, false, 0, new long[][] {{1024, 1, 0, 100}, {1026, 2, 0, 200}, {1026, 5, 0, 201}});
        node(img, 3, false, 0, new long[][] {{1026, 9, 0, 202}, {1030, 3, 0, 300}});
        node(img, 1, true, 1, new long[][] {{1024, 1, 2}, {1026, 9, 3}});
        return img;
    }

    @Test
    void lookupTakesGreatestXidNotAfterTarget() throws Exception {
        BTree t = omapTree(twoLevel(), new Diagnostics());
        assertEquals(201, lookup(t, 1026, 8).paddr());
        assertEquals(202, lookup(t, 1026, 9).paddr());
        assertEquals(202, lookup(t, 1026, 100).paddr());
        assertEquals(200, lookup(t, 1026, 2).paddr());
        assertNull(lookup(t, 1026, 1));
        assertNull(lookup(t, 1025, 100));
        assertEquals(300, lookup(t, 1030, 3).paddr());
        assertEquals(2, t.verifyAll() - 1);
    }

    @Test
    void rangeScanCrossesLeaves() throws Exception {
        BTree t = omapTree(twoLevel(), new Diagnostics());
        List<Long> seen = new ArrayList<>();
        t.scan(BTree.ALL, (n, i) -> seen.add(ObjectMap.le64(n.data, n.kOff[i] + 8)));
        assertEquals(List.of(1L, 2L, 5L, 9L, 3L), seen);
    }

    @Test
    void cycleIsRejected() throws Exception {
        byte[] img = new byte[BS * 3];
        // root (level 1) whose child is a level-1 node pointing back at the root
        node(img, 2, false, 1, new long[][] {{1, 1, 1}});
        node(img, 1, true, 1, new long[][] {{1, 1, 2}});
        BTree t = omapTree(img, new Diagnostics());
        MalformedException e = assertThrows(MalformedException.class, () -> lookup(t, 1, 1));
        assertTrue(e.getMessage().contains("btn_level"), e.getMessage());
        assertEquals(2 * BS + 34, e.offset());
    }

    @Test
    void selfReferenceIsRejected() throws Exception {
        byte[] img = new byte[BS * 2];
        node(img, 1, true, 1, new long[][] {{1, 1, 1}});
        BTree t = omapTree(img, new Diagnostics());
        assertThrows(MalformedException.class, () -> lookup(t, 1, 1));
    }

    @Test
    void depthIsBounded() throws Exception {
        byte[] img = new byte[BS * 2];
        node(img, 1, true, 1000, new long[][] {{1, 1, 1}});
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> omapTree(img, new Diagnostics()));
        assertEquals("maxTreeDepth", e.setting());
    }

    @Test
    void hugeKeyCountFailsCleanly() throws Exception {
        byte[] img = twoLevel();
        put32(img, 2 * BS + 36, Integer.MAX_VALUE);
        sign(img, 2 * BS);
        BTree t = omapTree(img, new Diagnostics());
        MalformedException e = assertThrows(MalformedException.class, () -> lookup(t, 1024, 1));
        assertEquals(2 * BS + 36, e.offset());
    }

    @Test
    void hugeFixedKeySizeFailsCleanly() throws Exception {
        byte[] img = twoLevel();
        put32(img, 2 * BS - 40 + 8, Integer.MAX_VALUE); // btree_info key size of the root
        sign(img, BS);
        assertThrows(MalformedException.class, () -> omapTree(img, new Diagnostics()));
    }

    @Test
    void keyOutsideNodeFailsCleanly() throws Exception {
        byte[] img = twoLevel();
        put16(img, 3 * BS + 56, 0xfff0); // key offset of entry 0 beyond the block
        sign(img, 3 * BS);
        BTree t = omapTree(img, new Diagnostics());
        assertThrows(MalformedException.class, () -> lookup(t, 1030, 3));
    }

    @Test
    void childOutsideContainerFailsCleanly() throws Exception {
        byte[] img = twoLevel();
        put64(img, 2 * BS - 40 - 16, 1L << 40); // root's second child paddr
        sign(img, BS);
        BTree t = omapTree(img, new Diagnostics());
        TruncatedException e = assertThrows(TruncatedException.class, () -> lookup(t, 1030, 3));
        assertTrue(e.getMessage().contains("outside container"), e.getMessage());
    }

    @Test
    void badChecksumNamesTheBlock() throws Exception {
        byte[] img = twoLevel();
        img[3 * BS + 100] ^= 1;
        BTree t = omapTree(img, new Diagnostics());
        ChecksumException e = assertThrows(ChecksumException.class, () -> lookup(t, 1030, 3));
        assertEquals(3 * BS, e.offset());
    }

    @Test
    void wrongChildOidIsRejected() throws Exception {
        byte[] img = twoLevel();
        put64(img, 3 * BS + 8, 77);
        sign(img, 3 * BS);
        BTree t = omapTree(img, new Diagnostics());
        MalformedException e = assertThrows(MalformedException.class, () -> lookup(t, 1030, 3));
        assertTrue(e.getMessage().contains("o_oid"), e.getMessage());
    }

    @Test
    void unorderedKeysAreReported() throws Exception {
        byte[] img = new byte[BS * 2];
        node(img, 1, true, 0, new long[][] {{5, 1, 0, 1}, {3, 1, 0, 2}});
        Diagnostics d = new Diagnostics();
        omapTree(img, d);
        assertFalse(d.isEmpty());
        assertTrue(d.list().get(0).message().contains("out of order"), d.list().toString());
    }

    @Test
    void containerOfZerosIsBadMagic() throws Exception {
        byte[] img = new byte[BS * 4];
        assertFalse(ApfsContainer.probe(ByteSources.wrap(img)));
        assertThrows(BadMagicException.class, () -> ApfsContainer.open(ByteSources.wrap(img)));
    }

    @Test
    void truncatedContainerFailsCleanly() throws Exception {
        byte[] img = new byte[100];
        img[32] = 'N';
        img[33] = 'X';
        img[34] = 'S';
        img[35] = 'B';
        assertFalse(ApfsContainer.probe(ByteSources.wrap(img)));
        assertThrows(TruncatedException.class, () -> ApfsContainer.open(ByteSources.wrap(img)));
    }

    @Test
    void impossibleBlockSizeIsRejected() throws Exception {
        byte[] img = new byte[BS * 2];
        img[32] = 'N';
        img[33] = 'X';
        img[34] = 'S';
        img[35] = 'B';
        put32(img, 24, 0x80000001);
        put32(img, 36, 1000);
        sign(img, 0);
        MalformedException e = assertThrows(MalformedException.class, () -> ApfsContainer.open(ByteSources.wrap(img)));
        assertTrue(e.getMessage().contains("nx_block_size"), e.getMessage());
    }

    @Test
    void hugeDescriptorAreaIsBounded() throws Exception {
        byte[] img = new byte[BS * 2];
        img[32] = 'N';
        img[33] = 'X';
        img[34] = 'S';
        img[35] = 'B';
        put32(img, 24, 0x80000001);
        put32(img, 36, BS);
        put64(img, 40, 2);
        put32(img, 104, 0x7fffffff); // desc blocks
        put64(img, 112, 1);
        sign(img, 0);
        io.vestige.evidence.OpenOptions o = io.vestige.evidence.OpenOptions.defaults()
                .withLimits(ParseLimits.defaults().with("maxTableEntries", 1000));
        assertThrows(LimitExceededException.class, () -> ApfsContainer.open(ByteSources.wrap(img),
                io.vestige.evidence.EvidencePath.ofFile("x"), o));
    }

    @Test
    void fletcherOfKnownBlock() {
        // an all-zero body: s1 = s2 = 0, so c1 = c2 = 0xFFFFFFFF (apfsprogs lib/checksum.c arithmetic)
        byte[] z = new byte[BS];
        assertEquals(0xFFFFFFFFFFFFFFFFL, Fletcher64.compute(z, BS));
        // first word 1, then 1021 zero words: s1 = 1 and s2 gains s1 once per word, s2 = 1022;
        // c1 = (2^32-1) - (s1+s2), c2 = (2^32-1) - (s1+c1) mod (2^32-1)
        z[8] = 1;
        long c1 = 0xFFFFFFFFL - 1023;
        long c2 = 0xFFFFFFFFL - (1 + c1) % 0xFFFFFFFFL;
        assertEquals(c2 << 32 | c1, Fletcher64.compute(z, BS));
    }
}
