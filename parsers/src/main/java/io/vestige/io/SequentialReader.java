package io.vestige.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Reads a {@link ChunkedByteSource} from start to end as a stream, decoding up to
 * {@code threads × 2} chunks ahead on a thread pool and delivering them in order. Memory is bounded
 * by the read-ahead window. Used for hashing and exporting whole media.
 */
public final class SequentialReader extends InputStream {
    private final ChunkedByteSource src;
    private final ExecutorService pool;
    private final Deque<Future<byte[]>> window = new ArrayDeque<>();
    private final int windowSize;
    private final LongConsumer progress;
    private long nextToSubmit;
    private byte[] current = new byte[0];
    private int pos;
    private long delivered;

    public SequentialReader(ChunkedByteSource src, int threads, LongConsumer progress) {
        this.src = src;
        int t = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "vestige-decode");
            th.setDaemon(true);
            return th;
        });
        this.windowSize = t * 2;
        this.progress = progress == null ? x -> { } : progress;
        fill();
    }

    private void fill() {
        while (window.size() < windowSize && nextToSubmit < src.chunkCount()) {
            final long idx = nextToSubmit++;
            window.addLast(pool.submit(() -> src.decodeChunk(idx)));
        }
    }

    private boolean advance() throws IOException {
        if (window.isEmpty()) {
            return false;
        }
        Future<byte[]> f = window.removeFirst();
        try {
            current = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c);
        }
        pos = 0;
        fill();
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= current.length) {
            if (!advance()) {
                return -1;
            }
        }
        long remainingMedia = src.size() - delivered;
        int n = (int) Math.min(Math.min(len, current.length - pos), remainingMedia);
        if (n <= 0) {
            return -1;
        }
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        delivered += n;
        progress.accept(delivered);
        return n;
    }

    @Override
    public void close() {
        for (Future<byte[]> f : window) {
            f.cancel(true);
        }
        window.clear();
        pool.shutdownNow();
    }
}
