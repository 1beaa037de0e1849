package io.vestige.format.apfs;

import io.vestige.io.ByteSource;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Block-level access to one container: bounds-checked block reads, checksum verification and a
 * bounded LRU cache of parsed B-tree nodes shared by every tree of the container (thread-safe).
 */
final class BlockReader {
    static final int NODE_CACHE = 16384;

    final ByteSource src;
    final int blockSize;
    final long blockCount;
    final ParseLimits limits;
    final Diagnostics diagnostics;
    final String sourceName;
    private final Map<Long, BTreeNode> nodes = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BTreeNode> eldest) {
            return size() > NODE_CACHE;
        }
    };

    BlockReader(ByteSource src, int blockSize, long blockCount, ParseLimits limits, Diagnostics diagnostics) {
        this.src = src;
        this.blockSize = blockSize;
        // a lying block count must not send reads beyond the source
        this.blockCount = Math.min(blockCount, src.size() / blockSize);
        this.limits = limits;
        this.diagnostics = diagnostics;
        this.sourceName = src.describe();
    }

    long offsetOf(long paddr) {
        return paddr * blockSize;
    }

    /** Reads block {@code paddr} without checks on its content. */
    byte[] block(long paddr, String structure) throws IOException {
        if (paddr < 0 || paddr >= blockCount) {
            throw new TruncatedException(structure, paddr < 0 || paddr > Long.MAX_VALUE / blockSize ? -1 : paddr * blockSize,
                    "block " + Long.toUnsignedString(paddr) + " outside container of " + blockCount + " blocks");
        }
        return src.readBytes(paddr * blockSize, blockSize);
    }

    /** Reads an object block and verifies its Fletcher-64 checksum. */
    byte[] object(long paddr, String structure) throws IOException {
        byte[] b = block(paddr, structure);
        if (!Fletcher64.verify(b, b.length)) {
            throw new ChecksumException(structure, paddr * blockSize, "Fletcher-64", Fletcher64.stored(b),
                    Fletcher64.compute(b, b.length));
        }
        return b;
    }

    /**
     * A parsed B-tree node at {@code paddr} (cached). Checks checksum, object type and layout;
     * the caller checks the expected oid/xid.
     */
    BTreeNode node(long paddr, String tree, int fixedKeySize, int fixedValSize, BTree.KeyOrder order)
            throws IOException {
        BTreeNode n;
        synchronized (nodes) {
            n = nodes.get(paddr);
        }
        if (n != null) {
            return n;
        }
        byte[] b = object(paddr, tree + " node");
        n = BTreeNode.parse(b, paddr, paddr * blockSize, tree, fixedKeySize, fixedValSize);
        if (order != null) {
            for (int i = 1; i < n.nkeys; i++) {
                if (order.compare(n.data, n.kOff[i - 1], n.kLen[i - 1], n.data, n.kOff[i], n.kLen[i]) > 0) {
                    warn(tree + " node", n.absOffset, "keys out of order at entry " + i
                            + "; lookups in this node may miss records");
                    break;
                }
            }
        }
        synchronized (nodes) {
            nodes.put(paddr, n);
        }
        return n;
    }

    void warn(String structure, long offset, String message) {
        diagnostics.add(Diagnostic.warning(sourceName, structure, offset, message));
    }

    void recover(ParseException e) throws ParseException {
        diagnostics.recover(sourceName, e);
    }

    static MalformedException malformed(String structure, long offset, String detail) {
        return new MalformedException(structure, offset, detail);
    }
}
