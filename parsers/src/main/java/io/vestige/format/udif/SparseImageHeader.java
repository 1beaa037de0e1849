package io.vestige.format.udif;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The 4096-byte header of a {@code .sparseimage} (BE). Reference: libmodi "Mac OS disk image types"
 * §Sparse disk image; FORMATS.md §2.3.
 *
 * <pre>
 *  0 "sprs"   4 u32 version (3)   8 u32 sectors per band   12 u32 unknown (1)
 * 16 u32 total sectors   32 u32 unknown (next header?)   64 u32[] band index per file band (1-based, 0 unused)
 * </pre>
 *
 * @param bandIndexes for each band stored in the file (in file order), the 1-based logical band it holds (0 = unused)
 */
public record SparseImageHeader(long version, long sectorsPerBand, long totalSectors, long nextHeader,
                                List<Long> bandIndexes) {
    public static final int SIZE = 4096;
    static final int ARRAY_OFFSET = 64;

    public SparseImageHeader {
        bandIndexes = List.copyOf(bandIndexes);
    }

    static boolean looksLike(byte[] b) {
        return b.length >= 4 && b[0] == 's' && b[1] == 'p' && b[2] == 'r' && b[3] == 's';
    }

    public static SparseImageHeader parse(byte[] b) throws ParseException {
        if (!looksLike(b)) {
            throw new BadMagicException("sparseimage header", 0, "sprs", b.length < 4 ? "(short)"
                    : new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        StructReader r = StructReader.be(b, 0, "sparseimage header");
        long spb = r.u32(8);
        long total = r.u32(16);
        if (spb == 0) {
            throw MalformedException.expected("sparseimage header", 8, "sectors per band", "> 0", 0);
        }
        List<Long> idx = new ArrayList<>();
        for (int o = ARRAY_OFFSET; o + 4 <= Math.min(b.length, SIZE); o += 4) {
            idx.add(r.u32(o));
        }
        // trailing unused slots are not bands stored in the file
        int last = idx.size();
        while (last > 0 && idx.get(last - 1) == 0) {
            last--;
        }
        return new SparseImageHeader(r.u32(4), spb, total, r.u32(32), idx.subList(0, last));
    }
}
