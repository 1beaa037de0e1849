package io.vestige.format.udif;

import io.vestige.io.ByteSource;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media of a UDIF image as a {@link ChunkedByteSource}: a sorted, non-overlapping list of runs
 * (blkx chunks, plus zero runs for sectors no table covers). Compressed chunks are one decode unit
 * each; zero and raw runs are split into units of at most {@link #UNIT} bytes so that a sparse run
 * of terabytes never allocates. Random reads keep decoded chunks in a small LRU cache bounded in
 * bytes; zero and raw runs bypass it. A chunk that fails to decode is reported as a diagnostic and
 * read as zeros (in strict mode the error is thrown).
 */
final class UdifMedia implements ChunkedByteSource {
    static final int UNIT = 1 << 20;
    static final long GAP = -1;

    private final ByteSource data;
    private final String name;
    private final long size;
    private final long[] start;   // media offset
    private final long[] length;  // media bytes
    private final long[] type;    // chunk type or GAP
    private final long[] srcOff;  // offset in the data-fork space
    private final long[] srcLen;
    private final String[] label; // for messages
    private final long[] unitBase;
    private final long units;
    private final Diagnostics diagnostics;
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    private final Map<Integer, byte[]> cache;
    private final long cacheBudget;
    private long cacheBytes;

    /** One run before it is packed into arrays. */
    record Run(long start, long length, long type, long srcOff, long srcLen, String label) {
    }

    UdifMedia(ByteSource data, String name, long size, java.util.List<Run> runs, Diagnostics diagnostics, long cacheBudget) {
        this.data = data;
        this.name = name;
        this.size = size;
        this.diagnostics = diagnostics;
        this.cacheBudget = cacheBudget;
        int n = runs.size();
        start = new long[n];
        length = new long[n];
        type = new long[n];
        srcOff = new long[n];
        srcLen = new long[n];
        label = new String[n];
        unitBase = new long[n + 1];
        long u = 0;
        for (int i = 0; i < n; i++) {
            Run r = runs.get(i);
            start[i] = r.start();
            length[i] = r.length();
            type[i] = r.type();
            srcOff[i] = r.srcOff();
            srcLen[i] = r.srcLen();
            label[i] = r.label();
            unitBase[i] = u;
            u += BlkxChunk.isCompressed(r.type()) ? 1 : (r.length() + UNIT - 1) / UNIT;
        }
        unitBase[n] = u;
        units = u;
        cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public long chunkCount() {
        return units;
    }

    @Override
    public long chunkOffset(long index) {
        int r = runOfUnit(index);
        return start[r] + (BlkxChunk.isCompressed(type[r]) ? 0 : (index - unitBase[r]) * UNIT);
    }

    @Override
    public long chunkIndexOf(long pos) {
        int r = runAt(pos);
        return unitBase[r] + (BlkxChunk.isCompressed(type[r]) ? 0 : (pos - start[r]) / UNIT);
    }

    /** Number of runs (blkx chunks with data, zero runs, gaps). */
    int runCount() {
        return start.length;
    }

    private int runOfUnit(long index) {
        int i = Arrays.binarySearch(unitBase, 0, start.length, index);
        if (i < 0) {
            i = -i - 2;
        }
        // runs with zero units share a base; take the last one that starts at or before index
        while (i + 1 < start.length && unitBase[i + 1] <= index) {
            i++;
        }
        return Math.max(0, i);
    }

    private int runAt(long pos) {
        int i = Arrays.binarySearch(start, pos);
        if (i < 0) {
            i = -i - 2;
        }
        return Math.max(0, i);
    }

    @Override
    public byte[] decodeChunk(long index) throws IOException {
        int r = runOfUnit(index);
        long off = BlkxChunk.isCompressed(type[r]) ? 0 : (index - unitBase[r]) * UNIT;
        int len = (int) Math.min(BlkxChunk.isCompressed(type[r]) ? length[r] : UNIT, length[r] - off);
        if (type[r] == BlkxChunk.RAW) {
            try {
                return data.readBytes(srcOff[r] + off, len);
            } catch (ParseException e) {
                return damaged(r, e, len);
            }
        }
        if (!BlkxChunk.isCompressed(type[r])) {
            return new byte[len];
        }
        return decodeCompressed(r);
    }

    private byte[] decodeCompressed(int r) throws IOException {
        byte[] out = new byte[(int) length[r]];
        try {
            byte[] in = data.readBytes(srcOff[r], (int) srcLen[r]);
            ChunkDecoder.decode(type[r], in, out, "UDIF chunk " + label[r], srcOff[r]);
            return out;
        } catch (ParseException e) {
            return damaged(r, e, out.length);
        }
    }

    private byte[] damaged(int r, ParseException e, int len) throws ParseException {
        if (diagnostics.strict()) {
            throw e;
        }
        if (failed.add(r)) {
            diagnostics.add(Diagnostic.of(name, e, Diagnostic.Severity.ERROR));
            diagnostics.add(Diagnostic.warning(name, "UDIF chunk " + label[r], srcOff[r],
                    "media bytes " + start[r] + "+" + length[r] + " are read as zeros because the chunk cannot be decoded"));
        }
        return new byte[len];
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
            int r = runAt(pos);
            long in = pos - start[r];
            int n = (int) Math.min(dst.remaining(), length[r] - in);
            if (n <= 0) {
                break;
            }
            if (type[r] == BlkxChunk.RAW) {
                ByteBuffer view = dst.slice();
                view.limit(n);
                int got = 0;
                try {
                    while (view.hasRemaining()) {
                        int k = data.read(srcOff[r] + in + got, view);
                        if (k <= 0) {
                            throw new io.vestige.io.TruncatedException("UDIF chunk " + label[r], srcOff[r] + in + got,
                                    n, got);
                        }
                        got += k;
                    }
                } catch (ParseException e) {
                    byte[] z = damaged(r, e, n);
                    view.position(0);
                    view.put(z);
                }
                dst.position(dst.position() + n);
            } else if (!BlkxChunk.isCompressed(type[r])) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                byte[] chunk = cached(r);
                dst.put(chunk, (int) in, n);
            }
            pos += n;
            total += n;
        }
        return total;
    }

    private byte[] cached(int r) throws IOException {
        synchronized (cache) {
            byte[] b = cache.get(r);
            if (b != null) {
                return b;
            }
        }
        byte[] b = decodeCompressed(r);
        synchronized (cache) {
            if (cache.put(r, b) == null) {
                cacheBytes += b.length;
            }
            var it = cache.entrySet().iterator();
            while (cacheBytes > cacheBudget && cache.size() > 1 && it.hasNext()) {
                var e = it.next();
                if (e.getKey() == r) {
                    continue;
                }
                cacheBytes -= e.getValue().length;
                it.remove();
            }
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        data.close();
    }
}
