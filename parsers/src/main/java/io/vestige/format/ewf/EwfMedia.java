package io.vestige.format.ewf;

import io.vestige.io.ByteSource;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.DamageTracking;
import io.vestige.io.DamagedRange;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The media of an EWF1 or EWF2 segment set as a {@link ChunkedByteSource}: chunk location comes from
 * the format's tables ({@link #locate}), decoding (zlib, stored + Adler-32, pattern fill) is shared.
 * Random reads go through a bounded LRU chunk cache; a damaged chunk is reported once as a
 * {@link Diagnostic} with its chunk number and media range and delivered zero-filled.
 */
abstract class EwfMedia implements ChunkedByteSource, DamageTracking {
    static final int F_COMPRESSED = 1;
    static final int F_CHECKSUM = 2;
    static final int F_PATTERN = 4;
    static final int F_BZIP2 = 8;

    /** Where a chunk is stored. {@code flags} combine the F_ constants. */
    record ChunkLocation(int segment, long offset, long storedSize, int flags, long pattern, String problem) {
    }

    /** Decoded chunks kept for random reads: at most this many bytes (and at least 4 chunks). */
    private static final long CACHE_BYTES = 4L << 20;
    private static final int MAX_DAMAGE_RECORDS = 100_000;

    protected final List<ByteSource> segments;
    protected final List<String> segmentNames;
    protected final long mediaSize;
    protected final int chunkSize;
    protected final long chunkCount;
    protected final Diagnostics diagnostics;
    private volatile boolean zeroOnChecksumError;
    private final String description;
    private final ConcurrentSkipListMap<Long, DamagedRange> damaged = new ConcurrentSkipListMap<>();
    private final int cacheChunks;
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > cacheChunks;
        }
    };
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

    EwfMedia(List<ByteSource> segments, List<String> segmentNames, long mediaSize, int chunkSize,
             Diagnostics diagnostics) {
        this.segments = segments;
        this.segmentNames = segmentNames;
        this.mediaSize = mediaSize;
        this.chunkSize = chunkSize;
        this.chunkCount = mediaSize == 0 ? 0 : (mediaSize - 1) / chunkSize + 1;
        this.diagnostics = diagnostics;
        this.description = segmentNames.isEmpty() ? "EWF" : segmentNames.get(0);
        this.cacheChunks = (int) Math.max(4, CACHE_BYTES / Math.max(1, chunkSize));
    }

    /**
     * What to deliver for a stored (uncompressed) chunk whose Adler-32 does not match: by default the
     * stored bytes, as libewf does (so media hashes agree with ewfverify); with {@code true} zeros,
     * as EnCase does (ewfverify {@code -w}). Either way the chunk is reported as damaged.
     */
    public void zeroOnChecksumError(boolean zero) {
        this.zeroOnChecksumError = zero;
        synchronized (cache) {
            cache.clear();
        }
    }

    /** Where chunk {@code index} is stored, or null when no table lists it. */
    abstract ChunkLocation locate(long index) throws IOException;

    @Override
    public long size() {
        return mediaSize;
    }

    @Override
    public long chunkCount() {
        return chunkCount;
    }

    @Override
    public long chunkOffset(long index) {
        return index * chunkSize;
    }

    @Override
    public long chunkIndexOf(long pos) {
        return pos / chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (offset >= mediaSize) {
            return -1;
        }
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < mediaSize) {
            long idx = pos / chunkSize;
            byte[] chunk = cached(idx);
            int in = (int) (pos - idx * chunkSize);
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

    private byte[] cached(long idx) throws IOException {
        byte[] b;
        synchronized (cache) {
            b = cache.get(idx);
        }
        if (b == null) {
            b = decodeChunk(idx);
            synchronized (cache) {
                cache.put(idx, b);
            }
        }
        return b;
    }

    private int mediaLength(long index) {
        return (int) Math.min(chunkSize, mediaSize - index * chunkSize);
    }

    @Override
    public byte[] decodeChunk(long index) throws IOException {
        if (index < 0 || index >= chunkCount) {
            throw new IllegalArgumentException("chunk " + index + " outside 0.." + (chunkCount - 1));
        }
        byte[] out = new byte[mediaLength(index)];
        decodeChunkInto(index, out, 0);
        return out;
    }

    /** Per-thread scratch: compressed input and a whole-chunk output for short last chunks. */
    private static final class Scratch {
        byte[] in = new byte[0];
        byte[] out = new byte[0];
        byte[] span = new byte[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public int decodeChunkInto(long index, byte[] dst, int off) throws IOException {
        if (index < 0 || index >= chunkCount) {
            throw new IllegalArgumentException("chunk " + index + " outside 0.." + (chunkCount - 1));
        }
        int len = mediaLength(index);
        ChunkLocation loc;
        try {
            loc = locate(index);
        } catch (ParseException e) {
            return damage(index, len, null, "table unusable: " + e.getMessage(), dst, off);
        }
        if (loc == null) {
            return damage(index, len, null, "no table entry lists this chunk", dst, off);
        }
        if (loc.problem() != null) {
            return damage(index, len, loc, loc.problem(), dst, off);
        }
        if ((loc.flags() & F_PATTERN) != 0) {
            for (int i = 0; i < len; i++) {
                dst[off + i] = (byte) (loc.pattern() >>> (8 * (i & 7)));
            }
            return len;
        }
        ByteSource seg = segments.get(loc.segment());
        long stored = loc.storedSize();
        if (stored <= 0 || stored > (long) chunkSize * 2 + 1024) {
            return damage(index, len, loc, "implausible stored size " + stored + " for a chunk of " + chunkSize
                    + " bytes", dst, off);
        }
        if (loc.offset() < 0 || loc.offset() > seg.size() || seg.size() - loc.offset() < stored) {
            return damage(index, len, loc, "stored bytes [" + loc.offset() + ", +" + stored + ") lie beyond the end of "
                    + seg.describe() + " (" + seg.size() + " bytes): segment truncated", dst, off);
        }
        Scratch sc = SCRATCH.get();
        if (sc.in.length < stored) {
            sc.in = new byte[(int) Math.max(stored, chunkSize + 64L)];
        }
        byte[] raw = sc.in;
        int rawLen = (int) stored;
        seg.readFully(loc.offset(), raw, 0, rawLen);
        return decodeStored(index, len, loc, raw, 0, rawLen, dst, off, sc);
    }

    /** True when the chunk's bytes are read from its segment and decoded (not pattern, not damaged). */
    private boolean plain(ChunkLocation loc) {
        return loc != null && loc.problem() == null && (loc.flags() & F_PATTERN) == 0 && loc.storedSize() > 0
                && loc.storedSize() <= (long) chunkSize * 2 + 1024 && loc.offset() >= 0;
    }

    private static final int SPAN = 8 << 20;

    /**
     * Chunks written one after another in the same segment (the usual layout) are read with one
     * positional read per run instead of one per chunk.
     */
    @Override
    public void decodeChunksInto(long first, long end, byte[] dst, int off) throws IOException {
        long i = first;
        while (i < end) {
            int at = off + (int) ((i - first) * chunkSize);
            ChunkLocation a;
            try {
                a = locate(i);
            } catch (ParseException e) {
                a = null;
            }
            if (!plain(a)) {
                decodeChunkInto(i, dst, at);
                i++;
                continue;
            }
            ByteSource seg = segments.get(a.segment());
            long spanStart = a.offset();
            long spanEnd = a.offset() + a.storedSize();
            java.util.List<ChunkLocation> run = new java.util.ArrayList<>();
            run.add(a);
            long j = i + 1;
            while (j < end && spanEnd - spanStart < SPAN) {
                ChunkLocation b;
                try {
                    b = locate(j);
                } catch (ParseException e) {
                    break;
                }
                if (!plain(b) || b.segment() != a.segment() || b.offset() != spanEnd
                        || spanEnd + b.storedSize() - spanStart > SPAN + (long) chunkSize * 2 + 1024) {
                    break;
                }
                run.add(b);
                spanEnd += b.storedSize();
                j++;
            }
            if (run.size() == 1 || spanEnd > seg.size()) {
                decodeChunkInto(i, dst, at);
                i++;
                continue;
            }
            Scratch sc = SCRATCH.get();
            int spanLen = (int) (spanEnd - spanStart);
            if (sc.span.length < spanLen) {
                sc.span = new byte[Math.max(spanLen, SPAN)];
            }
            seg.readFully(spanStart, sc.span, 0, spanLen);
            for (int k = 0; k < run.size(); k++) {
                long idx = i + k;
                ChunkLocation loc = run.get(k);
                decodeStored(idx, mediaLength(idx), loc, sc.span, (int) (loc.offset() - spanStart),
                        (int) loc.storedSize(), dst, off + (int) ((idx - first) * chunkSize), sc);
            }
            i = j;
        }
    }

    private int decodeStored(long index, int len, ChunkLocation loc, byte[] raw, int rawOff, int rawLen, byte[] dst,
                             int off, Scratch sc) throws IOException {
        if ((loc.flags() & F_COMPRESSED) != 0) {
            if ((loc.flags() & F_BZIP2) != 0) {
                return bzip2(index, len, loc, raw, rawOff, rawLen, dst, off);
            }
            return inflate(index, len, loc, raw, rawOff, rawLen, dst, off, sc);
        }
        // stored chunk: data then (usually) a 4-byte Adler-32
        boolean checksum = (loc.flags() & F_CHECKSUM) != 0;
        int dataLen = checksum ? rawLen - 4 : rawLen;
        if (dataLen < len) {
            return damage(index, len, loc, "stored chunk holds " + dataLen + " bytes, media needs " + len, dst, off);
        }
        if (checksum) {
            Adler32 a = new Adler32();
            a.update(raw, rawOff, dataLen);
            int c = rawOff + dataLen;
            long want = (raw[c] & 0xffL) | (raw[c + 1] & 0xffL) << 8 | (raw[c + 2] & 0xffL) << 16
                    | (raw[c + 3] & 0xffL) << 24;
            if (want != a.getValue()) {
                String why = "Adler-32 mismatch: stored 0x" + Long.toHexString(want) + ", computed 0x"
                        + Long.toHexString(a.getValue());
                if (zeroOnChecksumError) {
                    return damage(index, len, loc, why, dst, off);
                }
                // libewf's default (and ewfverify's hashes): the stored bytes, flagged as unverified
                record(index, len, loc, why, "stored bytes delivered unverified");
            }
        }
        System.arraycopy(raw, rawOff, dst, off, len);
        return len;
    }

    private int inflate(long index, int len, ChunkLocation loc, byte[] raw, int rawOff, int rawLen, byte[] dst,
                        int off, Scratch sc) throws IOException {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(raw, rawOff, rawLen);
        // a short last chunk may still have been compressed as a whole (padded) chunk
        boolean direct = len == chunkSize;
        byte[] out = dst;
        int base = off;
        if (!direct) {
            if (sc.out.length < chunkSize) {
                sc.out = new byte[chunkSize];
            }
            out = sc.out;
            base = 0;
        }
        int cap = direct ? len : chunkSize;
        int n = 0;
        try {
            while (n < cap && !inf.finished()) {
                int k = inf.inflate(out, base + n, cap - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (!inf.finished()) {
                byte[] probe = new byte[1];
                if (!(n == cap && inf.inflate(probe) == 0 && inf.finished())) {
                    return damage(index, len, loc, n < len ? "zlib stream ends after " + n + " of " + len + " bytes"
                            : "zlib stream inflates to more than the chunk size", dst, off);
                }
            }
        } catch (DataFormatException e) {
            return damage(index, len, loc, "inflate error: " + e.getMessage(), dst, off);
        }
        if (n < len) {
            return damage(index, len, loc, "zlib stream inflates to " + n + " bytes, media needs " + len, dst, off);
        }
        if (!direct) {
            System.arraycopy(out, 0, dst, off, len);
        }
        return len;
    }

    private int bzip2(long index, int len, ChunkLocation loc, byte[] raw, int rawOff, int rawLen, byte[] dst, int off)
            throws IOException {
        java.io.InputStream body = new java.io.ByteArrayInputStream(raw, rawOff, rawLen);
        if (rawLen < 3 || raw[rawOff] != 'B' || raw[rawOff + 1] != 'Z' || raw[rawOff + 2] != 'h') {
            // EnCase stores the block without the "BZh9" stream header (libyal EWF2 "Bzip2 compression")
            body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {'B', 'Z', 'h', '9'}),
                    body);
        }
        try (var in = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(body)) {
            int n = in.readNBytes(dst, off, len);
            if (n < len) {
                return damage(index, len, loc, "bzip2 stream inflates to " + n + " bytes, media needs " + len, dst, off);
            }
            return len;
        } catch (IOException e) {
            return damage(index, len, loc, "bzip2 error: " + e.getMessage(), dst, off);
        }
    }

    private int damage(long index, int len, ChunkLocation loc, String why, byte[] dst, int off) {
        record(index, len, loc, why, "zero-filled");
        java.util.Arrays.fill(dst, off, off + len, (byte) 0);
        return len;
    }

    private void record(long index, int len, ChunkLocation loc, String why, String action) {
        String where = loc == null ? "" : " (stored in " + segmentNames.get(loc.segment()) + " @ 0x"
                + Long.toHexString(loc.offset()) + ", " + loc.storedSize() + " bytes)";
        long mediaOff = index * chunkSize;
        String msg = "chunk " + index + " media bytes [" + mediaOff + ", " + (mediaOff + len) + ")" + where + ": "
                + why + "; " + action;
        if (damaged.size() < MAX_DAMAGE_RECORDS && damaged.putIfAbsent(index,
                new DamagedRange(index, mediaOff, len, why + where + "; " + action)) == null) {
            diagnostics.add(Diagnostic.error(description, "EWF chunk", loc == null ? -1 : loc.offset(), msg));
        }
    }

    @Override
    public List<DamagedRange> damagedRanges() {
        return new ArrayList<>(damaged.values());
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ByteSource s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        synchronized (cache) {
            cache.clear();
        }
        if (first != null) {
            throw first;
        }
    }
}
