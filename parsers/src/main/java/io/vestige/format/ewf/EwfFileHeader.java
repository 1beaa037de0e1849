package io.vestige.format.ewf;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.StructReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * EWF1 segment file header (13 bytes), per libyal EWF section 2.
 *
 * <pre>
 * 0   8  signature "EVF\t\r\n\xff\0" (E01/S01) or "LVF\t\r\n\xff\0" (L01)
 * 8   1  fields start (1)
 * 9   2  segment number, 1-based
 * 11  2  fields end (0)
 * </pre>
 */
public record EwfFileHeader(boolean logical, int segmentNumber) {
    public static final int SIZE = 13;
    static final byte[] EVF = {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0};
    static final byte[] LVF = {'L', 'V', 'F', 9, 13, 10, (byte) 0xff, 0};

    static boolean matches(byte[] head) {
        if (head.length < 8) {
            return false;
        }
        byte[] sig = Arrays.copyOf(head, 8);
        return Arrays.equals(sig, EVF) || Arrays.equals(sig, LVF);
    }

    static EwfFileHeader read(ByteSource seg) throws IOException {
        byte[] b = seg.readBytes(0, SIZE);
        if (!matches(b)) {
            throw new BadMagicException("EWF file header in " + seg.describe(), 0, "EVF\\t\\r\\n\\xff\\0",
                    HexFormat.of().formatHex(b, 0, 8));
        }
        StructReader r = StructReader.le(b, 0, "EWF file header in " + seg.describe());
        return new EwfFileHeader(b[0] == 'L', r.u16(9));
    }
}
