package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.BadMagicException;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A shared-cache strings file ({@code uuidtext/dsc/<32 hex>}, magic {@code hcsd}): the format
 * strings of the images in the dyld shared cache (FORMATS §6.4). Header: {@code 0} magic, {@code 4}
 * u16 major, {@code 6} u16 minor, {@code 8} u32 range count, {@code 12} u32 UUID count. Version 1
 * (≤ macOS 11): ranges of 16 bytes {u32 UUID index, u32 range offset, u32 data offset, u32 size},
 * UUIDs of 28 bytes {u32 text offset, u32 text size, UUID, u32 path offset}. Version 2 (macOS 12+):
 * ranges of 24 bytes {u64 range offset, u32 data offset, u32 size, u64 UUID index}, UUIDs of 32 bytes
 * {u64 text offset, u32 text size, UUID, u32 path offset}.
 */
public final class SharedCacheStrings {

    /** One image of the cache. */
    public record Image(UUID uuid, long textOffset, long textSize, String path) {
    }

    /** One string range. */
    public record Range(long rangeOffset, long dataOffset, long size, long uuidIndex) {
    }

    /** A resolved string with the image it belongs to. */
    record Hit(String string, Image image) {
    }

    private final int version;
    private final byte[] data;
    private final Range[] ranges; // sorted by range offset
    private final List<Image> images;

    private SharedCacheStrings(int version, byte[] data, Range[] ranges, Range[] original, List<Image> images) {
        this.original = original;
        this.version = version;
        this.data = data;
        this.ranges = ranges;
        this.images = images;
    }

    public int version() {
        return version;
    }

    public List<Range> ranges() {
        return Collections.unmodifiableList(Arrays.asList(ranges));
    }

    public List<Image> images() {
        return images;
    }

    /** The string at shared-cache offset {@code off}, with its image; {@code null} if no range holds it. */
    Hit lookup(long off) {
        int lo = 0;
        int hi = ranges.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(ranges[mid].rangeOffset, off) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // adjacent ranges may share a boundary: an offset equal to a range end belongs to the next range
        for (int i = found; i >= 0 && i >= found - 4; i--) {
            Range rg = ranges[i];
            long rel = off - rg.rangeOffset;
            if (rel >= 0 && rel < rg.size) {
                long p = rg.dataOffset + rel;
                if (p >= data.length) {
                    return null;
                }
                Image img = rg.uuidIndex >= 0 && rg.uuidIndex < images.size() ? images.get((int) rg.uuidIndex) : null;
                return new Hit(Uuidtext.cstring(data, (int) p, (int) Math.min(data.length, rg.dataOffset + rg.size)), img);
            }
        }
        return null;
    }

    /** The image whose text range holds {@code pc}, or {@code null}. */
    Image imageForPc(long pc) {
        for (Image i : images) {
            if (pc >= i.textOffset && pc - i.textOffset < i.textSize) {
                return i;
            }
        }
        return null;
    }

    public static SharedCacheStrings parse(byte[] b, ParseLimits limits) throws TruncatedException,
            BadMagicException, UnsupportedFormatException, LimitExceededException {
        StructReader r = StructReader.le(b, 0, "dsc");
        if (b.length < 16 || b[0] != 'h' || b[1] != 'c' || b[2] != 's' || b[3] != 'd') {
            throw new BadMagicException("dsc", 0, "hcsd", b.length < 4 ? "short file" : new String(b, 0, 4,
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        int major = r.u16(4);
        long nRanges = r.u32(8);
        long nUuids = r.u32(12);
        if (major != 1 && major != 2) {
            throw new UnsupportedFormatException("dsc", 4, "major version " + major + " (known: 1, 2)");
        }
        int rs = major == 1 ? 16 : 24;
        int us = major == 1 ? 28 : 32;
        limits.check("maxTableEntries", nRanges, "dsc ranges", 8);
        limits.check("maxTableEntries", nUuids, "dsc uuids", 12);
        if (nRanges * rs + nUuids * us > b.length - 16L) {
            throw new TruncatedException("dsc descriptors", 16, nRanges * rs + nUuids * us, b.length - 16L);
        }
        Range[] ranges = new Range[(int) nRanges];
        int o = 16;
        for (int i = 0; i < nRanges; i++) {
            if (major == 1) {
                ranges[i] = new Range(r.u32(o + 4), r.u32(o + 8), r.u32(o + 12), r.u32(o));
            } else {
                ranges[i] = new Range(r.u64(o), r.u32(o + 8), r.u32(o + 12), r.u64(o + 16));
            }
            o += rs;
        }
        List<Image> images = new ArrayList<>((int) nUuids);
        for (int i = 0; i < nUuids; i++) {
            long textOff = major == 1 ? r.u32(o) : r.u64(o);
            int k = major == 1 ? 4 : 8;
            long textSize = r.u32(o + k);
            UUID u = r.uuidBE(o + k + 4);
            long pathOff = r.u32(o + k + 20);
            String path = pathOff < b.length ? Uuidtext.cstring(b, (int) pathOff, b.length) : null;
            images.add(new Image(u, textOff, textSize, path));
            o += us;
        }
        Range[] sorted = ranges.clone();
        Arrays.sort(sorted, (x, y) -> Long.compareUnsigned(x.rangeOffset, y.rangeOffset));
        return new SharedCacheStrings(major, b, sorted, ranges, List.copyOf(images));
    }

    private final Range[] original;

    /** Ranges in file order (as the file lists them). */
    public List<Range> rangesInFileOrder() {
        return Collections.unmodifiableList(Arrays.asList(original));
    }
}
