package io.vestige.format.udif;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Media made of fixed-size bands (a sparse image's bands inside its file, a sparse bundle's band
 * files). A band that is missing, or shorter than a band, reads as zeros.
 */
abstract class BandedSource implements ByteSource {
    private final String name;
    private final long size;
    private final long bandSize;

    BandedSource(String name, long size, long bandSize) {
        this.name = name;
        this.size = size;
        this.bandSize = bandSize;
    }

    /** Reads from band {@code band} at {@code in} into {@code view} (up to its limit); 0 for a missing band. */
    abstract int readBand(long band, long in, ByteBuffer view) throws IOException;

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final String describe() {
        return name;
    }

    @Override
    public final int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (offset >= size) {
            return -1;
        }
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < size) {
            long band = pos / bandSize;
            long in = pos - band * bandSize;
            int n = (int) Math.min(Math.min(dst.remaining(), bandSize - in), size - pos);
            ByteBuffer view = dst.slice();
            view.limit(n);
            int got = readBand(band, in, view);
            for (int i = got; i < n; i++) {
                dst.put(dst.position() + i, (byte) 0);
            }
            dst.position(dst.position() + n);
            pos += n;
            total += n;
        }
        return total;
    }

    /** Reads {@code src} from {@code at} until {@code view} is full, the source ends or {@code limit} is reached. */
    static int readFully(ByteSource src, long at, ByteBuffer view, long limit) throws IOException {
        int got = 0;
        while (view.hasRemaining() && at + got < limit) {
            int k = src.read(at + got, view);
            if (k <= 0) {
                break;
            }
            got += k;
        }
        return got;
    }
}
