package io.vestige.codesign;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CS_SuperBlob} (0xfade0cc0 embedded, 0xfade0cc1 detached): 0 magic, 4 length, 8 count, then
 * {@code count} × {u32 type (slot), u32 offset from the SuperBlob start}. Each indexed blob starts
 * with {u32 magic, u32 length}. Spec: cs_blobs.h; FORMATS.md 5.2.
 *
 * @param base absolute offset of the SuperBlob in its source, for messages
 */
public record SuperBlob(long magic, long length, List<Entry> entries, long base) {

    /** One {@code CS_BlobIndex} with the blob it points at (bytes kept exactly as on disk). */
    public record Entry(long type, long offset, long blobMagic, byte[] blob) {
    }

    public SuperBlob {
        entries = List.copyOf(entries);
    }

    /** Parses a SuperBlob from {@code data} (exactly the LC_CODE_SIGNATURE bytes or more). */
    public static SuperBlob parse(byte[] data, long base, ParseLimits limits) throws ParseException {
        StructReader r = StructReader.be(data, base, "code signature SuperBlob");
        if (data.length < 12) {
            throw new TruncatedException("code signature SuperBlob", base, 12, data.length);
        }
        long magic = r.u32(0);
        if (magic != CodeSigning.CSMAGIC_EMBEDDED_SIGNATURE && magic != CodeSigning.CSMAGIC_DETACHED_SIGNATURE) {
            throw new BadMagicException("code signature SuperBlob", base, "0xfade0cc0", String.format("0x%08x", magic));
        }
        long length = r.u32(4);
        if (length < 12 || length > data.length) {
            throw new MalformedException("code signature SuperBlob", base + 4, "length " + length
                    + " outside [12, " + data.length + "] (LC_CODE_SIGNATURE datasize)");
        }
        long count = r.u32(8);
        if (count > (length - 12) / 8) {
            throw new MalformedException("code signature SuperBlob", base + 8, "count " + count
                    + " index entries do not fit in length " + length);
        }
        limits.check("maxTableEntries", count, "code signature SuperBlob", base + 8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long type = r.u32(12 + 8 * i);
            long off = r.u32(16 + 8 * i);
            if (off < 12 + 8 * count || off + 8 > length) {
                throw new MalformedException("code signature SuperBlob index #" + i, base + 12 + 8L * i,
                        "blob offset " + off + " outside the SuperBlob of " + length + " bytes");
            }
            long bm = r.u32((int) off);
            long bl = r.u32((int) off + 4);
            if (bl < 8 || bl > length - off) {
                throw new MalformedException("code signature blob " + CodeSigning.slotName(type), base + off + 4,
                        "length " + bl + " outside [8, " + (length - off) + "]");
            }
            entries.add(new Entry(type, off, bm, r.bytes((int) off, (int) bl)));
        }
        return new SuperBlob(magic, length, entries, base);
    }

    /** The blob at a slot, or {@code null}. */
    public Entry slot(long type) {
        for (Entry e : entries) {
            if (e.type() == type) {
                return e;
            }
        }
        return null;
    }
}
