package io.vestige.io;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;

/**
 * Hashes a whole media source in one pass with several digests at once (MD5, SHA-1, SHA-256 by
 * default). The media is cut into blocks of a few MiB held in a small ring of reused buffers; for a
 * {@link ChunkedByteSource} each block's chunks are decoded straight into the buffer by a pool of
 * {@code threads} workers ({@link ChunkedByteSource#decodeChunkInto}), other sources are read with
 * large positional reads. Each digest runs on its own thread and consumes the blocks in order, so
 * decoding and the digests overlap and the slowest digest sets the pace rather than their sum.
 * Memory is bounded by the ring. Used by {@code vestige verify} and the analysis report.
 */
public final class MediaHasher {
    /** Digest names as {@link MessageDigest} knows them, keyed by the names reports use. */
    public static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256");

    private static final int BLOCK = 4 << 20;
    private static final int RING = 6;

    /**
     * @param bytes   media bytes hashed
     * @param digests algorithm name ({@code md5}, {@code sha1}, {@code sha256}) to lower-case hex
     * @param damaged regions that could not be decoded (zero-filled or delivered unverified), in media order
     */
    public record Result(long bytes, Map<String, String> digests, List<DamagedRange> damaged) {
    }

    private MediaHasher() {
    }

    /** MD5, SHA-1 and SHA-256 of {@code src}, decoding with {@code threads} workers. */
    public static Result hash(ByteSource src, int threads, LongConsumer progress) throws IOException {
        return hash(src, List.of("md5", "sha1", "sha256"), threads, progress);
    }

    /** The named digests of {@code src}; {@code progress} receives the bytes hashed so far. */
    public static Result hash(ByteSource src, List<String> algorithms, int threads, LongConsumer progress)
            throws IOException {
        return copy(src, null, algorithms, threads, progress);
    }

    /**
     * Writes the whole media to {@code out} (when not null) while computing the named digests, in
     * one pass: an export that proves what it wrote. {@code out} is written from one thread, in order,
     * and is not closed.
     */
    public static Result copy(ByteSource src, java.io.OutputStream out, List<String> algorithms, int threads,
                              LongConsumer progress) throws IOException {
        LongConsumer prog = progress == null ? x -> { } : progress;
        List<MessageDigest> mds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String a : algorithms) {
            String key = a.trim().toLowerCase(Locale.ROOT);
            String jca = ALGORITHMS.get(key);
            if (jca == null) {
                throw new IllegalArgumentException("unknown hash algorithm '" + a + "'; known: md5, sha1, sha256");
            }
            if (names.contains(key)) {
                continue;
            }
            try {
                mds.add(MessageDigest.getInstance(jca));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jca + " missing from the Java runtime", e);
            }
            names.add(key);
        }
        int t = Math.max(1, threads);
        List<Sink> sinks = new ArrayList<>();
        for (MessageDigest md : mds) {
            // 64 KiB updates: enough calls for the JIT to compile the multi-block digest intrinsics early
            sinks.add((b, n) -> {
                for (int o = 0; o < n; o += 65536) {
                    md.update(b, o, Math.min(65536, n - o));
                }
            });
        }
        if (out != null) {
            sinks.add((b, n) -> out.write(b, 0, n));
        }
        List<ExecutorService> own = new ArrayList<>();
        ExecutorService decoders;
        List<ExecutorService> hashers = new ArrayList<>();
        if (t <= 2 && !mds.isEmpty()) {
            // Two lanes for two cores: the costliest digest (MD5 is the slowest per byte) alone on one
            // thread, decoding and the other sinks on the other. More busy threads than cores would
            // time-slice the critical digest and lengthen the run.
            ExecutorService critical = Executors.newSingleThreadExecutor(daemon("vestige-hash"));
            ExecutorService rest = Executors.newSingleThreadExecutor(daemon("vestige-decode"));
            own.add(critical);
            own.add(rest);
            decoders = rest;
            int crit = names.indexOf("md5") >= 0 ? names.indexOf("md5") : names.indexOf("sha256") >= 0
                    ? names.indexOf("sha256") : 0;
            for (int i = 0; i < sinks.size(); i++) {
                hashers.add(i == crit && !mds.isEmpty() ? critical : rest);
            }
            t = 1;
        } else {
            decoders = Executors.newFixedThreadPool(t, daemon("vestige-decode"));
            own.add(decoders);
            for (int i = 0; i < sinks.size(); i++) {
                ExecutorService h = Executors.newSingleThreadExecutor(daemon("vestige-hash"));
                own.add(h);
                hashers.add(h);
            }
        }
        try {
            Blocks blocks = src instanceof ChunkedByteSource c && c.chunkCount() > 0
                    ? new ChunkBlocks(c, t) : new PlainBlocks(src);
            long total = run(src, blocks, sinks, decoders, hashers, prog);
            if (total != src.size()) {
                throw new TruncatedException(src.describe(), total, "media ends after " + total + " of " + src.size()
                        + " bytes");
            }
        } finally {
            for (ExecutorService e : own) {
                e.shutdownNow();
            }
        }
        Map<String, String> digests = new LinkedHashMap<>();
        for (int i = 0; i < mds.size(); i++) {
            digests.put(names.get(i), HexFormat.of().formatHex(mds.get(i).digest()));
        }
        List<DamagedRange> dmg = src instanceof DamageTracking d ? d.damagedRanges() : List.of();
        return new Result(src.size(), digests, dmg);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        };
    }

    /** Cuts the media into blocks and fills one block into a buffer. */
    private interface Blocks {
        /** Bytes of the next block (0 at the end); advances. */
        int next();

        /** Starts filling {@code buf} with the block just returned by {@link #next}. */
        CompletableFuture<Void> fill(byte[] buf, ExecutorService pool);

        int maxBlock();
    }

    private static final class PlainBlocks implements Blocks {
        private final ByteSource src;
        private long pos;
        private long blockStart;
        private int blockLen;

        PlainBlocks(ByteSource src) {
            this.src = src;
        }

        @Override
        public int next() {
            blockStart = pos;
            blockLen = (int) Math.min(BLOCK, src.size() - pos);
            pos += blockLen;
            return blockLen;
        }

        @Override
        public CompletableFuture<Void> fill(byte[] buf, ExecutorService pool) {
            long start = blockStart;
            int len = blockLen;
            return CompletableFuture.runAsync(() -> {
                try {
                    src.readFully(start, buf, 0, len);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, pool);
        }

        @Override
        public int maxBlock() {
            return (int) Math.min(BLOCK, Math.max(1, src.size()));
        }
    }

    private static final class ChunkBlocks implements Blocks {
        private final ChunkedByteSource src;
        private final int workers;
        private long nextChunk;
        private long first;
        private long end;
        private final int max;

        ChunkBlocks(ChunkedByteSource src, int workers) {
            this.src = src;
            this.workers = workers;
            int m = BLOCK;
            long n = src.chunkCount();
            // chunks larger than a block (some UDIF runs) get a block of their own
            for (long i = 0; i < Math.min(n, 4096); i++) {
                m = (int) Math.max(m, Math.min(Integer.MAX_VALUE - 8, end(i) - src.chunkOffset(i)));
            }
            this.max = m;
        }

        private long end(long i) {
            return i + 1 < src.chunkCount() ? src.chunkOffset(i + 1) : src.size();
        }

        @Override
        public int next() {
            long n = src.chunkCount();
            if (nextChunk >= n) {
                return 0;
            }
            first = nextChunk;
            long start = src.chunkOffset(first);
            long e = first + 1;
            while (e < n && end(e) - start <= BLOCK) {
                e++;
            }
            end = e;
            nextChunk = e;
            long len = end(e - 1) - start;
            if (len > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("chunk of " + len + " bytes cannot be hashed in one block");
            }
            return (int) len;
        }

        @Override
        public CompletableFuture<Void> fill(byte[] buf, ExecutorService pool) {
            long a = first;
            long b = end;
            long base = src.chunkOffset(a);
            long count = b - a;
            int parts = (int) Math.min(workers, count);
            CompletableFuture<?>[] fs = new CompletableFuture<?>[parts];
            for (int p = 0; p < parts; p++) {
                long from = a + count * p / parts;
                long to = a + count * (p + 1) / parts;
                fs[p] = CompletableFuture.runAsync(() -> {
                    try {
                        src.decodeChunksInto(from, to, buf, (int) (src.chunkOffset(from) - base));
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                }, pool);
            }
            return CompletableFuture.allOf(fs);
        }

        @Override
        public int maxBlock() {
            return max;
        }
    }

    /** Consumes the blocks of the media in order, on its own thread. */
    private interface Sink {
        void accept(byte[] block, int len) throws IOException;
    }

    private static long run(ByteSource src, Blocks blocks, List<Sink> mds, ExecutorService decoders,
                            List<ExecutorService> hashers, LongConsumer prog) throws IOException {
        byte[][] ring = new byte[RING][];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[RING];
        long[] doneBytes = new long[RING];
        List<CompletableFuture<Void>> last = new ArrayList<>();
        for (int i = 0; i < mds.size(); i++) {
            last.add(CompletableFuture.completedFuture(null));
        }
        long total = 0;
        int slot = 0;
        while (true) {
            if (done[slot] != null) {
                join(done[slot]);
                prog.accept(doneBytes[slot]);
                done[slot] = null;
            }
            int len = blocks.next();
            if (len <= 0) {
                break;
            }
            if (ring[slot] == null || ring[slot].length < len) {
                ring[slot] = new byte[Math.max(len, blocks.maxBlock())];
            }
            byte[] buf = ring[slot];
            CompletableFuture<Void> filled = blocks.fill(buf, decoders);
            List<CompletableFuture<Void>> hashed = new ArrayList<>();
            hashed.add(filled);
            for (int i = 0; i < mds.size(); i++) {
                Sink md = mds.get(i);
                // each sink takes the blocks in order: it waits for its own previous block too
                CompletableFuture<Void> h = filled.thenCombineAsync(last.get(i), (x, y) -> {
                    try {
                        md.accept(buf, len);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                    return null;
                }, hashers.get(i));
                last.set(i, h);
                hashed.add(h);
            }
            total += len;
            done[slot] = CompletableFuture.allOf(hashed.toArray(new CompletableFuture<?>[0]));
            doneBytes[slot] = total;
            slot = (slot + 1) % RING;
        }
        for (int k = 0; k < RING; k++) {
            int s = (slot + k) % RING;
            if (done[s] != null) {
                join(done[s]);
                prog.accept(doneBytes[s]);
            }
        }
        return total;
    }

    private static void join(CompletableFuture<Void> f) throws IOException {
        try {
            f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } catch (java.util.concurrent.CancellationException e) {
            throw new java.io.InterruptedIOException("hashing cancelled");
        }
    }

}
