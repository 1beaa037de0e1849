package io.vestige.format.apfs;

import io.vestige.io.MalformedException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Read access to one APFS B-tree: range scans that descend once and then walk the leaves in key
 * order, so a directory listing or an extent list costs one root-to-leaf path plus sequential
 * leaves. Every node is checksum-verified, its oid and xid checked against what the parent
 * promised, its level must drop by one per step (bounded by {@code maxTreeDepth}) and a visited
 * set rejects cycles.
 */
final class BTree {
    /** Maps a child object id to its block address (identity for physical trees; omap for virtual). */
    interface Resolver {
        long paddr(long oid) throws IOException;
    }

    /** Where a key lies relative to the wanted range: negative before, 0 inside, positive after. */
    interface KeyRange {
        int cmp(byte[] d, int off, int len);
    }

    /** Total order of the tree's keys (for the ordering check). */
    interface KeyOrder {
        int compare(byte[] a, int ao, int al, byte[] b, int bo, int bl);
    }

    /** Receives entry {@code i} of leaf {@code n}; returns false to stop the scan. */
    interface Visitor {
        boolean visit(BTreeNode n, int i) throws IOException;
    }

    static final KeyRange ALL = (d, o, l) -> 0;

    final BlockReader io;
    final String name;
    final long rootOid;
    final boolean physical;
    final Resolver resolver;
    final long maxXid;
    final KeyOrder order;
    /** Skip (and report) unreadable subtrees instead of failing the whole scan. */
    final boolean lenient;
    private final BTreeNode root;
    private final int keySize;
    private final int valSize;

    /**
     * @param maxXid nodes written after this transaction are rejected (0: no check)
     */
    BTree(BlockReader io, String name, long rootOid, boolean physical, Resolver resolver, long maxXid,
          KeyOrder order) throws IOException {
        this(io, name, rootOid, physical, resolver, maxXid, order, false);
    }

    BTree(BlockReader io, String name, long rootOid, boolean physical, Resolver resolver, long maxXid,
          KeyOrder order, boolean lenient) throws IOException {
        this.lenient = lenient;
        this.io = io;
        this.name = name;
        this.rootOid = rootOid;
        this.physical = physical;
        this.resolver = physical ? oid -> oid : resolver;
        this.maxXid = maxXid;
        this.order = order;
        long paddr = this.resolver.paddr(rootOid);
        BTreeNode r = io.node(paddr, name, 0, 0, order);
        check(r, rootOid, paddr);
        if (!r.root()) {
            throw new MalformedException(name + " node", r.absOffset + 32, "tree root lacks the root flag");
        }
        if (r.level >= io.limits.maxTreeDepth()) {
            io.limits.check("maxTreeDepth", r.level, name + " root", r.absOffset + 34);
        }
        this.root = r;
        this.keySize = r.infoKeySize;
        this.valSize = r.infoValSize;
    }

    BTreeNode root() {
        return root;
    }

    private void check(BTreeNode n, long oid, long paddr) throws IOException {
        if (n.header.oid() != oid) {
            throw MalformedException.expected(name + " node", n.absOffset + 8, "o_oid", Long.toUnsignedString(oid),
                    Long.toUnsignedString(n.header.oid()));
        }
        if (maxXid != 0 && Long.compareUnsigned(n.header.xid(), maxXid) > 0) {
            throw new MalformedException(name + " node", n.absOffset + 16, "o_xid " + Long.toUnsignedString(
                    n.header.xid()) + " is newer than the transaction being read (" + maxXid
                    + "): the block was reused after that checkpoint");
        }
    }

    private BTreeNode child(BTreeNode parent, int i) throws IOException {
        long oid = parent.child(i);
        long paddr = resolver.paddr(oid);
        BTreeNode c = io.node(paddr, name, parent.fixed() ? keySize : 0, valSize, order);
        check(c, oid, paddr);
        if (c.level != parent.level - 1) {
            throw MalformedException.expected(name + " node", c.absOffset + 34, "btn_level below level "
                    + parent.level + " (node " + parent.paddr + ")", parent.level - 1, c.level);
        }
        if (c.root()) {
            throw new MalformedException(name + " node", c.absOffset + 32, "child node carries the root flag");
        }
        return c;
    }

    /** Visits every entry whose key is inside {@code range}, in key order. */
    void scan(KeyRange range, Visitor v) throws IOException {
        scan(root, range, v, new Visited());
    }

    /**
     * Nodes seen by one scan. Levels fall strictly along a path, so a point lookup cannot loop;
     * the set is only materialised once a scan moves on to a second subtree.
     */
    private static final class Visited {
        private Set<Long> set;
        private int descents;

        boolean add(long paddr) {
            if (set == null) {
                if (++descents < 64) {
                    return true;
                }
                set = new HashSet<>();
            }
            return set.add(paddr);
        }

        void widen() {
            if (set == null) {
                set = new HashSet<>();
            }
        }
    }

    private boolean scan(BTreeNode n, KeyRange range, Visitor v, Visited visited) throws IOException {
        if (!visited.add(n.paddr)) {
            throw new MalformedException(name + " node", n.absOffset, "cycle: node visited twice in one scan");
        }
        int start = lowerBound(n, range);
        if (n.leaf()) {
            for (int i = start; i < n.nkeys; i++) {
                int c = range.cmp(n.data, n.kOff[i], n.kLen[i]);
                if (c > 0) {
                    return false;
                }
                if (c == 0 && !v.visit(n, i)) {
                    return false;
                }
            }
            return true;
        }
        // the first matching key may sit at the end of the child before the first key >= range
        start = Math.max(0, start - 1);
        for (int i = start; i < n.nkeys; i++) {
            if (i > start) {
                if (range.cmp(n.data, n.kOff[i], n.kLen[i]) > 0) {
                    return false;
                }
                visited.widen();
            }
            BTreeNode c;
            try {
                c = child(n, i);
            } catch (io.vestige.io.ParseException e) {
                if (!lenient) {
                    throw e;
                }
                // strict diagnostics rethrow here; otherwise the records below this child are reported missing
                io.recover(new io.vestige.io.ParseException(e.structure(), e.offset(), "subtree " + i + " of node "
                        + n.paddr + " skipped, its records are missing from this listing: " + e.getMessage(), e));
                continue;
            }
            if (!scan(c, range, v, visited)) {
                return false;
            }
        }
        return true;
    }

    /** First index whose key is not before the range (binary search; keys are sorted). */
    private static int lowerBound(BTreeNode n, KeyRange range) {
        int lo = 0;
        int hi = n.nkeys;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (range.cmp(n.data, n.kOff[mid], n.kLen[mid]) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Visits every node of the tree once (for consistency checks); returns the node count. */
    long verifyAll() throws IOException {
        long[] count = {0};
        walkNodes(root, new HashSet<>(), count);
        return count[0];
    }

    private void walkNodes(BTreeNode n, Set<Long> visited, long[] count) throws IOException {
        if (!visited.add(n.paddr)) {
            throw new MalformedException(name + " node", n.absOffset, "cycle: node reachable twice");
        }
        count[0]++;
        if (!n.leaf()) {
            for (int i = 0; i < n.nkeys; i++) {
                walkNodes(child(n, i), visited, count);
            }
        }
    }

    static int cmpU64(long a, long b) {
        return Long.compareUnsigned(a, b);
    }
}
