package io.vestige.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A source made of independently decodable chunks (EWF chunks, UDIF blkx runs). Random reads go
 * through a chunk cache; sequential whole-media reads ({@link SequentialReader}) decode chunks on
 * several threads in parallel and hand them over in order.
 */
public interface ChunkedByteSource extends ByteSource {

    /** Number of chunks. */
    long chunkCount();

    /** Media offset where chunk {@code index} starts. */
    long chunkOffset(long index);

    /**
     * Decodes chunk {@code index} into a new array whose length is the chunk's media length.
     * Thread-safe; does not use the cache. A damaged chunk may be returned zero-filled after
     * reporting a diagnostic, as the format's reader decides.
     */
    byte[] decodeChunk(long index) throws IOException;

    /**
     * Decodes chunk {@code index} into {@code dst} at {@code off} and returns the number of bytes
     * written (the chunk's media length). Lets whole-media readers decode straight into pooled
     * buffers; formats override it to avoid the intermediate array. Thread-safe.
     */
    default int decodeChunkInto(long index, byte[] dst, int off) throws IOException {
        byte[] b = decodeChunk(index);
        System.arraycopy(b, 0, dst, off, b.length);
        return b.length;
    }

    /**
     * Decodes chunks {@code [first, end)} one after another into {@code dst} from {@code off}.
     * Formats whose chunks lie next to each other on disk override it to read them in one go.
     */
    default void decodeChunksInto(long first, long end, byte[] dst, int off) throws IOException {
        long base = chunkOffset(first);
        for (long i = first; i < end; i++) {
            decodeChunkInto(i, dst, off + (int) (chunkOffset(i) - base));
        }
    }

    /** Default random read: chunk by chunk. Implementations usually put a cache in front. */
    static int readViaChunks(ChunkedByteSource src, long offset, ByteBuffer dst) throws IOException {
        if (offset >= src.size()) {
            return -1;
        }
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < src.size()) {
            long idx = src.chunkIndexOf(pos);
            byte[] chunk = src.decodeChunk(idx);
            int in = (int) (pos - src.chunkOffset(idx));
            int n = Math.min(dst.remaining(), chunk.length - in);
            if (n <= 0) {
                break;
            }
            dst.put(chunk, in, n);
            pos += n;
            total += n;
        }
        return total;
    }

    /** Index of the chunk holding media offset {@code pos} (binary search by default). */
    default long chunkIndexOf(long pos) {
        long lo = 0;
        long hi = chunkCount() - 1;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (chunkOffset(mid) <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
