package io.vestige.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An LRU block cache in front of a slow or decompressing source. Memory is bounded by
 * {@code blockSize × maxBlocks}. Reads of distinct blocks proceed in parallel; the lock guards
 * only the map.
 */
public final class CachingByteSource implements ByteSource {
    private final ByteSource inner;
    private final int blockSize;
    private final Map<Long, byte[]> cache;

    public CachingByteSource(ByteSource inner, int blockSize, int maxBlocks) {
        if (blockSize <= 0 || maxBlocks <= 0) {
            throw new IllegalArgumentException("blockSize and maxBlocks must be positive");
        }
        this.inner = inner;
        this.blockSize = blockSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > maxBlocks;
            }
        };
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        long size = inner.size();
        if (offset >= size) {
            return -1;
        }
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < size) {
            long blockNo = pos / blockSize;
            byte[] block = block(blockNo, size);
            int inBlock = (int) (pos - blockNo * blockSize);
            int n = Math.min(dst.remaining(), block.length - inBlock);
            if (n <= 0) {
                break;
            }
            dst.put(block, inBlock, n);
            total += n;
            pos += n;
        }
        return total;
    }

    private byte[] block(long blockNo, long size) throws IOException {
        byte[] b;
        synchronized (cache) {
            b = cache.get(blockNo);
        }
        if (b != null) {
            return b;
        }
        long start = blockNo * blockSize;
        int len = (int) Math.min(blockSize, size - start);
        b = inner.readBytes(start, len);
        synchronized (cache) {
            cache.put(blockNo, b);
        }
        return b;
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
