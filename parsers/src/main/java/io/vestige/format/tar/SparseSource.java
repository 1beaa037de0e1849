package io.vestige.format.tar;

import io.vestige.io.ByteSource;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The logical content of a sparse tar member: the stored data segments placed at their offsets,
 * zeros in the holes between them (GNU tar manual, "Storing Sparse Files").
 */
final class SparseSource implements ByteSource {
    private final ByteSource stored;
    private final long[] offsets;   // logical offset of each segment, increasing
    private final long[] lengths;
    private final long[] storedAt;  // where each segment starts in the stored data
    private final long size;

    SparseSource(ByteSource stored, long[] offsets, long[] lengths, long size) {
        this.stored = stored;
        this.offsets = offsets;
        this.lengths = lengths;
        this.size = size;
        this.storedAt = new long[offsets.length];
        long s = 0;
        for (int i = 0; i < offsets.length; i++) {
            storedAt[i] = s;
            s += lengths[i];
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return stored.describe() + " (sparse)";
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (offset >= size) {
            return -1;
        }
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < size) {
            int i = Arrays.binarySearch(offsets, pos);
            if (i < 0) {
                i = -i - 2; // the last segment starting before pos
            }
            while (i + 1 < offsets.length && offsets[i + 1] <= pos) {
                i++; // empty segments sharing an offset
            }
            if (i >= 0 && pos < offsets[i] + lengths[i]) {
                int n = (int) Math.min(dst.remaining(), offsets[i] + lengths[i] - pos);
                ByteBuffer view = dst.slice();
                view.limit(n);
                long from = storedAt[i] + (pos - offsets[i]);
                int got = 0;
                while (view.hasRemaining()) {
                    int k = stored.read(from + got, view);
                    if (k <= 0) {
                        throw new TruncatedException(describe(), pos + got, "stored data of the sparse member ends early");
                    }
                    got += k;
                }
                dst.position(dst.position() + n);
                total += n;
                pos += n;
            } else {
                long holeEnd = i + 1 < offsets.length ? offsets[i + 1] : size;
                int n = (int) Math.min(dst.remaining(), holeEnd - pos);
                for (int k = 0; k < n; k++) {
                    dst.put((byte) 0);
                }
                total += n;
                pos += n;
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        stored.close();
    }
}
