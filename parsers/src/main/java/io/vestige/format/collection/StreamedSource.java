package io.vestige.format.collection;

import io.vestige.io.ByteSource;
import io.vestige.io.MalformedException;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Random access over a stream that can only be read forwards (a gzip, bzip2, xz or zstd
 * decompressor, a deflated zip entry). A few cursors stay open; a read continues from the
 * nearest cursor at or before the offset, so reads in increasing offset order cost a single pass.
 * A read before every cursor re-opens the stream from its start ({@link #restarts()} counts
 * them). Memory is bounded by the open cursors; nothing is buffered beyond the decompressors'
 * own windows. Thread-safe (reads are serialized).
 */
public final class StreamedSource implements ByteSource {

    /** Opens the stream from its first byte. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * Sees the bytes a cursor passes over while skipping forward, so that the owner can keep small
     * members it would otherwise have to re-read (see {@link MemberSource.SmallCache}).
     */
    @FunctionalInterface
    public interface SkipListener {
        void skipped(long offset, byte[] buf, int len);
    }

    private static final class Cursor {
        InputStream in;
        long pos;
        long lastUse;
    }

    private final Opener opener;
    private final long size;
    private final String description;
    private final int maxCursors;
    private final List<Cursor> cursors = new ArrayList<>();
    private long tick;
    private long restarts;
    private boolean closed;
    private SkipListener listener;

    public StreamedSource(Opener opener, long size, String description, int maxCursors) {
        this.opener = opener;
        this.size = size;
        this.description = description;
        this.maxCursors = Math.max(1, maxCursors);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Registers the listener that sees skipped-over bytes (one at most). */
    public synchronized void onSkip(SkipListener l) {
        this.listener = l;
    }

    /** How many times a read had to start the stream again from its first byte. */
    public synchronized long restarts() {
        return restarts;
    }

    @Override
    public synchronized int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (closed) {
            throw new IOException(description + ": source closed");
        }
        if (offset >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - offset);
        if (want == 0) {
            return 0;
        }
        Cursor c = cursorFor(offset);
        try {
            skipTo(c, offset);
            int total = 0;
            byte[] tmp = dst.hasArray() ? null : new byte[Math.min(want, 1 << 16)];
            while (total < want) {
                int n;
                if (tmp == null) {
                    n = c.in.read(dst.array(), dst.arrayOffset() + dst.position(), want - total);
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                } else {
                    n = c.in.read(tmp, 0, Math.min(tmp.length, want - total));
                    if (n > 0) {
                        dst.put(tmp, 0, n);
                    }
                }
                if (n < 0) {
                    throw new TruncatedException(description, c.pos, "stream ended at " + c.pos + " of " + size
                            + " bytes");
                }
                c.pos += n;
                total += n;
            }
            if (c.pos >= size) {
                drop(c);
            }
            return total;
        } catch (TruncatedException e) {
            drop(c);
            throw e;
        } catch (IOException | RuntimeException e) {
            long at = c.pos;
            drop(c);
            // decompressors throw plain IOExceptions (and some RuntimeExceptions) on corrupt input
            throw new MalformedException(description, at, "decompression failed: " + io.vestige.io.ParseException.describe(e), e);
        }
    }

    private Cursor cursorFor(long offset) throws IOException {
        Cursor best = null;
        for (Cursor c : cursors) {
            if (c.pos <= offset && (best == null || c.pos > best.pos)) {
                best = c;
            }
        }
        if (best == null) {
            if (cursors.size() >= maxCursors) {
                Cursor lru = cursors.get(0);
                for (Cursor c : cursors) {
                    if (c.lastUse < lru.lastUse) {
                        lru = c;
                    }
                }
                drop(lru);
            }
            if (tick > 0) {
                restarts++;
            }
            best = new Cursor();
            best.in = opener.open();
            cursors.add(best);
        }
        best.lastUse = ++tick;
        return best;
    }

    private void skipTo(Cursor c, long offset) throws IOException {
        byte[] scratch = null;
        while (c.pos < offset) {
            if (scratch == null) {
                scratch = new byte[(int) Math.min(1 << 16, offset - c.pos)];
            }
            int n = c.in.read(scratch, 0, (int) Math.min(scratch.length, offset - c.pos));
            if (n < 0) {
                throw new TruncatedException(description, c.pos, "stream ended at " + c.pos + " before offset "
                        + offset);
            }
            if (listener != null && n > 0) {
                listener.skipped(c.pos, scratch, n);
            }
            c.pos += n;
        }
    }

    private void drop(Cursor c) {
        cursors.remove(c);
        try {
            c.in.close();
        } catch (IOException ignored) {
            // nothing left to read from it
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Cursor c : new ArrayList<>(cursors)) {
            drop(c);
        }
    }
}
