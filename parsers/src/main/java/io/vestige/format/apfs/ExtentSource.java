package io.vestige.format.apfs;

import io.vestige.io.ByteSource;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A data stream (file content or an xattr stream) as a lazy {@link ByteSource}: logical offsets
 * map through the stream's file extents to container blocks; holes (physical block 0) and any
 * range past the last extent read as zeros, as APFS does for sparse files.
 */
final class ExtentSource implements ByteSource {
    interface ExtentLoader {
        List<JFileExtent> load() throws IOException;
    }

    private final BlockReader io;
    private final String description;
    private final long size;
    private final ExtentLoader loader;
    private final boolean encrypted;
    private volatile JFileExtent[] extents;

    ExtentSource(BlockReader io, String description, long size, ExtentLoader loader, boolean encrypted) {
        this.io = io;
        this.description = description;
        this.size = Math.max(0, size);
        this.loader = loader;
        this.encrypted = encrypted;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return description;
    }

    private JFileExtent[] extents() throws IOException {
        JFileExtent[] e = extents;
        if (e == null) {
            e = loader.load().toArray(new JFileExtent[0]);
            extents = e;
        }
        return e;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (offset >= size) {
            return -1;
        }
        JFileExtent[] ext = extents();
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < size) {
            int idx = find(ext, pos);
            long runEnd;
            JFileExtent x = idx >= 0 ? ext[idx] : null;
            if (x != null && Long.compareUnsigned(pos - x.logicalAddr(), x.length()) < 0) {
                runEnd = x.logicalAddr() + x.length();
            } else {
                x = null;
                runEnd = idx + 1 < ext.length ? ext[idx + 1].logicalAddr() : size;
            }
            int n = (int) Math.min(dst.remaining(), Math.min(runEnd, size) - pos);
            if (n <= 0) {
                break;
            }
            if (x == null || x.physBlock() == 0) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                if (encrypted && x.cryptoId() != 0) {
                    throw new UnsupportedFormatException(description, pos, "extent is encrypted (crypto id "
                            + x.cryptoId() + "); the volume keys are not available offline");
                }
                long blocks = (x.length() + io.blockSize - 1) / io.blockSize;
                if (Long.compareUnsigned(x.physBlock(), io.blockCount) >= 0 || blocks > io.blockCount - x.physBlock()) {
                    throw new TruncatedException(description, x.logicalAddr(), "extent at block "
                            + Long.toUnsignedString(x.physBlock()) + " (+" + blocks + ") lies outside the container of "
                            + io.blockCount + " blocks");
                }
                // physBlock < blockCount was checked above, so neither product nor sum can overflow
                long phys = x.physBlock() * io.blockSize + (pos - x.logicalAddr());
                ByteBuffer view = dst.slice();
                view.limit(n);
                int got = 0;
                while (view.hasRemaining()) {
                    int r = io.src.read(phys + got, view);
                    if (r <= 0) {
                        throw new TruncatedException(description, pos, n, got);
                    }
                    got += r;
                }
                dst.position(dst.position() + n);
            }
            total += n;
            pos += n;
        }
        return total;
    }

    /** Index of the last extent starting at or before {@code pos}, or -1. */
    private static int find(JFileExtent[] ext, long pos) {
        int lo = 0;
        int hi = ext.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(ext[mid].logicalAddr(), pos) <= 0) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }
}
