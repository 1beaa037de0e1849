package io.vestige.format.collection;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A member's bytes inside a streamed archive. Members up to {@link SmallCache#threshold()} bytes
 * are read whole on first access and kept in a shared, size-bounded LRU cache, so that the random
 * access of parsers (a Mach-O's header, then its signature at the end, then its pages) costs one
 * pass; larger members read through the shared {@link StreamedSource}.
 */
public final class MemberSource implements ByteSource {
    private final ByteSource whole;
    private final long offset;
    private final long size;
    private final SmallCache cache;
    private final long cacheKey;
    private final String description;

    /**
     * @param whole    the streamed archive (or entry) the member lies in
     * @param offset   where the member starts in {@code whole}
     * @param cacheKey identifies the member in {@code cache} (unique per archive)
     */
    public MemberSource(ByteSource whole, long offset, long size, SmallCache cache, long cacheKey,
                        String description) {
        this.whole = whole;
        this.offset = offset;
        this.size = size;
        this.cache = cache;
        this.cacheKey = cacheKey;
        this.description = description;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int read(long off, ByteBuffer dst) throws IOException {
        if (off < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (off >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - off);
        if (cache != null && size <= cache.threshold()) {
            byte[] b = cache.get(cacheKey, offset, size, whole);
            dst.put(b, (int) off, want);
            return want;
        }
        ByteBuffer view = dst.slice();
        view.limit(want);
        int total = 0;
        while (view.hasRemaining()) {
            int n = whole.read(offset + off + total, view);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        dst.position(dst.position() + total);
        return total == 0 ? -1 : total;
    }

    /** A shared LRU of small members' bytes, bounded in total bytes. */
    public static final class SmallCache {
        /** Members up to this size are cached whole (documented default 8 MiB). */
        public static final int DEFAULT_THRESHOLD = 8 << 20;
        /** Total bytes held (documented default 64 MiB). */
        public static final long DEFAULT_CAPACITY = 64L << 20;

        private final int threshold;
        private final long capacity;
        private final LinkedHashMap<Long, byte[]> map = new LinkedHashMap<>(16, 0.75f, true);
        private long held;

        public SmallCache(int threshold, long capacity) {
            this.threshold = threshold;
            this.capacity = capacity;
        }

        public static SmallCache defaults() {
            return new SmallCache(DEFAULT_THRESHOLD, DEFAULT_CAPACITY);
        }

        public int threshold() {
            return threshold;
        }

        /** Offers bytes read by other means (a skip that passed over the member). */
        public void put(long key, byte[] b) {
            if (b.length > threshold) {
                return;
            }
            synchronized (this) {
                if (!map.containsKey(key)) {
                    map.put(key, b);
                    held += b.length;
                    evict(key);
                }
            }
        }

        /** Whether the member's bytes are held. */
        public synchronized boolean contains(long key) {
            return map.containsKey(key);
        }

        private void evict(long keep) {
            var it = map.entrySet().iterator();
            while (held > capacity && it.hasNext()) {
                Map.Entry<Long, byte[]> e = it.next();
                if (e.getKey() == keep) {
                    continue;
                }
                held -= e.getValue().length;
                it.remove();
            }
        }

        byte[] get(long key, long offset, long size, ByteSource whole) throws IOException {
            synchronized (this) {
                byte[] b = map.get(key);
                if (b != null) {
                    return b;
                }
            }
            byte[] b = whole.readBytes(offset, (int) size);
            synchronized (this) {
                if (!map.containsKey(key)) {
                    map.put(key, b);
                    held += b.length;
                    evict(key);
                }
            }
            return b;
        }
    }
}
