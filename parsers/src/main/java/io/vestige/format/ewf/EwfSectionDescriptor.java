package io.vestige.format.ewf;

import io.vestige.io.ByteSource;
import io.vestige.io.ChecksumException;
import io.vestige.io.StructReader;
import java.io.IOException;
import java.util.zip.Adler32;

/**
 * EWF1 section descriptor (76 bytes, little-endian), per libyal "Expert Witness Compression Format (EWF)"
 * section 3.
 *
 * <pre>
 * 0   16  type string, NUL padded
 * 16  8   offset of the next section, from the start of the segment file
 * 24  8   section size including this descriptor
 * 32  40  padding
 * 72  4   Adler-32 of bytes 0-71
 * </pre>
 *
 * @param offset where this descriptor starts in its segment file
 */
public record EwfSectionDescriptor(String type, long nextOffset, long size, long offset) {
    public static final int SIZE = 76;

    /** Bytes of section data after the descriptor (0 when the stored size is not larger than the descriptor). */
    public long dataSize() {
        return size > SIZE ? size - SIZE : 0;
    }

    public long dataOffset() {
        return offset + SIZE;
    }

    static EwfSectionDescriptor read(ByteSource seg, long offset) throws IOException {
        byte[] b = seg.readBytes(offset, SIZE);
        StructReader r = StructReader.le(b, offset, "EWF section descriptor in " + seg.describe());
        Adler32 a = new Adler32();
        a.update(b, 0, 72);
        long stored = r.u32(72);
        if (stored != a.getValue()) {
            throw new ChecksumException("EWF section descriptor in " + seg.describe(), offset, "Adler-32",
                    stored, a.getValue());
        }
        String type = r.cstring(0, 16);
        return new EwfSectionDescriptor(type, r.u64(16), r.u64(24), offset);
    }
}
