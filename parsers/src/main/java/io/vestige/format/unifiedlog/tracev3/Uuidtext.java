package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.BadMagicException;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;

/**
 * A uuidtext file ({@code uuidtext/XX/<30 hex>}): the format strings of one image (FORMATS §6.4).
 * {@code 0} u32 magic 0x66778899, {@code 4} u32 major 2, {@code 8} u32 minor 1, {@code 12} u32 entry
 * count, then entries {u32 range start, u32 size} (not sorted), the string blobs in entry order, then
 * the image path (NUL-terminated).
 */
public final class Uuidtext {
    static final long MAGIC = 0x66778899L;

    private final byte[] data;
    private final long[] rangeStart;
    private final long[] size;
    private final long[] blobOffset;
    private final String imagePath;

    private Uuidtext(byte[] data, long[] rangeStart, long[] size, long[] blobOffset, String imagePath) {
        this.data = data;
        this.rangeStart = rangeStart;
        this.size = size;
        this.blobOffset = blobOffset;
        this.imagePath = imagePath;
    }

    public String imagePath() {
        return imagePath;
    }

    public int entryCount() {
        return rangeStart.length;
    }

    /** The NUL-terminated string at format-string reference {@code ref}, or {@code null}. */
    String stringAt(long ref) {
        for (int i = 0; i < rangeStart.length; i++) {
            if (ref >= rangeStart[i] && ref - rangeStart[i] < size[i]) {
                long off = blobOffset[i] + (ref - rangeStart[i]);
                return cstring(data, (int) off, (int) (blobOffset[i] + size[i]));
            }
        }
        return null;
    }

    static String cstring(byte[] b, int off, int limit) {
        int e = off;
        int lim = Math.min(limit, b.length);
        while (e < lim && b[e] != 0) {
            e++;
        }
        return new String(b, off, e - off, StandardCharsets.UTF_8);
    }

    /** Parses a whole uuidtext file. */
    public static Uuidtext parse(byte[] b, ParseLimits limits) throws TruncatedException, BadMagicException,
            LimitExceededException {
        StructReader r = StructReader.le(b, 0, "uuidtext");
        if (r.u32(0) != MAGIC) {
            throw new BadMagicException("uuidtext", 0, "0x66778899", "0x" + Long.toHexString(r.u32(0)));
        }
        long n = r.u32(12);
        limits.check("maxTableEntries", n, "uuidtext entries", 12);
        if (n > (b.length - 16L) / 8) {
            throw new TruncatedException("uuidtext entries", 16, n * 8, b.length - 16L);
        }
        int count = (int) n;
        long[] start = new long[count];
        long[] size = new long[count];
        long[] blob = new long[count];
        long off = 16L + 8L * count;
        for (int i = 0; i < count; i++) {
            start[i] = r.u32(16 + 8 * i);
            size[i] = r.u32(20 + 8 * i);
            blob[i] = off;
            off += size[i];
            if (off > b.length) {
                throw new TruncatedException("uuidtext string blob " + i, blob[i], size[i], b.length - blob[i]);
            }
        }
        String path = off < b.length ? cstring(b, (int) off, b.length) : "";
        return new Uuidtext(b, start, size, blob, path);
    }
}
