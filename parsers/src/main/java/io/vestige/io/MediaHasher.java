package io.vestige.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Hashes a whole media source in one pass with several digests at once (MD5, SHA-1, SHA-256 by
 * default). Decoding and hashing overlap: a {@link ChunkedByteSource} is read through a
 * {@link SequentialReader} (chunks inflated in parallel), other sources with large positional
 * reads; each digest runs on its own thread over a ring of buffers, so the slowest digest sets
 * the pace rather than their sum. Used by {@code vestige verify} and the analysis report.
 */
public final class MediaHasher {
    /** Digest names as {@link MessageDigest} knows them, keyed by the names reports use. */
    public static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256");

    private static final int BLOCK = 4 << 20;
    private static final int RING = 4;

    /**
     * @param bytes   media bytes hashed
     * @param digests algorithm name ({@code md5}, {@code sha1}, {@code sha256}) to lower-case hex
     * @param damaged regions delivered as zeros because they could not be decoded
     */
    public record Result(long bytes, Map<String, String> digests, List<DamagedRange> damaged) {
    }

    private MediaHasher() {
    }

    /** MD5, SHA-1 and SHA-256 of {@code src}, decoding with {@code threads} workers. */
    public static Result hash(ByteSource src, int threads, LongConsumer progress) throws IOException {
        return hash(src, List.of("md5", "sha1", "sha256"), threads, progress);
    }

    public static Result hash(ByteSource src, List<String> algorithms, int threads, LongConsumer progress)
            throws IOException {
        LongConsumer prog = progress == null ? x -> { } : progress;
        List<MessageDigest> mds = new ArrayList<>();
        for (String a : algorithms) {
            String jca = ALGORITHMS.get(a.toLowerCase(Locale.ROOT));
            if (jca == null) {
                throw new IllegalArgumentException("unknown hash algorithm '" + a + "'; known: " + ALGORITHMS.keySet());
            }
            try {
                mds.add(MessageDigest.getInstance(jca));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jca + " missing from the Java runtime", e);
            }
        }
        List<ExecutorService> workers = new ArrayList<>();
        for (int i = 0; i < mds.size(); i++) {
            workers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "vestige-hash");
                t.setDaemon(true);
                return t;
            }));
        }
        byte[][] ring = new byte[RING][BLOCK];
        @SuppressWarnings("unchecked")
        List<Future<?>>[] pending = new List[RING];
        long total = 0;
        InputStream in = src instanceof ChunkedByteSource c
                ? new SequentialReader(c, Math.max(1, threads), null)
                : null;
        try {
            int slot = 0;
            while (true) {
                if (pending[slot] != null) {
                    await(pending[slot]);
                    pending[slot] = null;
                }
                byte[] buf = ring[slot];
                int n = in != null ? fill(in, buf) : fill(src, total, buf);
                if (n <= 0) {
                    break;
                }
                total += n;
                List<Future<?>> fs = new ArrayList<>(mds.size());
                final int len = n;
                for (int i = 0; i < mds.size(); i++) {
                    MessageDigest md = mds.get(i);
                    fs.add(workers.get(i).submit(() -> md.update(buf, 0, len)));
                }
                pending[slot] = fs;
                prog.accept(total);
                slot = (slot + 1) % RING;
            }
            for (List<Future<?>> p : pending) {
                if (p != null) {
                    await(p);
                }
            }
        } finally {
            if (in != null) {
                in.close();
            }
            for (ExecutorService w : workers) {
                w.shutdownNow();
            }
        }
        if (total != src.size()) {
            throw new TruncatedException(src.describe(), total, "media ends after " + total + " of " + src.size()
                    + " bytes");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < mds.size(); i++) {
            out.put(algorithms.get(i).toLowerCase(Locale.ROOT), HexFormat.of().formatHex(mds.get(i).digest()));
        }
        List<DamagedRange> dmg = src instanceof DamageTracking d ? d.damagedRanges() : List.of();
        return new Result(total, out, dmg);
    }

    private static void await(List<Future<?>> fs) throws IOException {
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing");
            } catch (ExecutionException e) {
                throw new IOException("hashing failed", e.getCause());
            }
        }
    }

    private static int fill(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int k = in.read(buf, n, buf.length - n);
            if (k < 0) {
                break;
            }
            n += k;
        }
        return n;
    }

    private static int fill(ByteSource src, long pos, byte[] buf) throws IOException {
        if (pos >= src.size()) {
            return 0;
        }
        int want = (int) Math.min(buf.length, src.size() - pos);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, want);
        while (bb.hasRemaining()) {
            int k = src.read(pos + bb.position(), bb);
            if (k <= 0) {
                break;
            }
        }
        return bb.position();
    }
}
