package io.vestige.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The one I/O primitive every layer reads through: a fixed-size run of bytes with positional,
 * cursor-free, thread-safe reads. Containers expose their media as a ByteSource, partitions are
 * slices, file contents are ByteSources, and the layers compose ({@link #slice}, {@link ByteSources#concat},
 * {@link ByteSources#cached}).
 */
public interface ByteSource extends Closeable {

    /** Size in bytes; constant for the life of the source. */
    long size();

    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}.
     * Returns the number of bytes read, which is less than requested only at the end of the
     * source, and -1 when {@code offset >= size()}. Must be safe to call from several threads.
     */
    int read(long offset, ByteBuffer dst) throws IOException;

    /** A short human description for messages and provenance, e.g. the file name. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** Reads exactly {@code len} bytes or throws {@link TruncatedException}. */
    default void readFully(long offset, byte[] buf, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        long pos = offset;
        while (bb.hasRemaining()) {
            int n = read(pos, bb);
            if (n <= 0) {
                throw new TruncatedException(describe(), offset, len, pos - offset);
            }
            pos += n;
        }
    }

    /** Reads exactly {@code len} bytes into a new array or throws {@link TruncatedException}. */
    default byte[] readBytes(long offset, int len) throws IOException {
        if (len < 0) {
            throw new MalformedException(describe(), offset, "negative read length " + len);
        }
        if (offset < 0 || offset > size() || size() - offset < len) {
            throw new TruncatedException(describe(), offset, len, Math.max(0, size() - Math.max(0, offset)));
        }
        byte[] b = new byte[len];
        readFully(offset, b, 0, len);
        return b;
    }

    /** Reads as many bytes as exist up to {@code len} (fewer at the end of the source). */
    default byte[] readAtMost(long offset, int len) throws IOException {
        if (offset >= size()) {
            return new byte[0];
        }
        int n = (int) Math.min(len, size() - offset);
        return readBytes(offset, n);
    }

    /** A view of {@code length} bytes from {@code offset}; it must lie within this source. */
    default ByteSource slice(long offset, long length) throws IOException {
        return ByteSources.slice(this, offset, length);
    }

    /** A sequential stream over the whole source (the stream does not close the source). */
    default InputStream openStream() {
        return ByteSources.stream(this, 0, size());
    }

    /** Most sources are views and have nothing to release; file-backed ones override. */
    @Override
    default void close() throws IOException {
    }
}
