package io.vestige.format.udif;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.HexFormat;

/**
 * A UDIF checksum field (136 bytes, BE): type, size in bits, 128 bytes of data. Type 2 is CRC-32,
 * whose value is the first four data bytes (big-endian). Reference: FORMATS.md §2.1, libmodi
 * "Mac OS disk image types" (UDIFChecksum).
 *
 * <pre>
 * 0  u32  type (2 = CRC-32)
 * 4  u32  size in bits (32 for CRC-32)
 * 8  128  data
 * </pre>
 */
public record UdifChecksum(long type, long bits, byte[] data) {
    public static final long TYPE_NONE = 0;
    public static final long TYPE_CRC32 = 2;
    public static final int SIZE = 136;

    static UdifChecksum read(StructReader r, int off) throws TruncatedException {
        return new UdifChecksum(r.u32(off), r.u32(off + 4), r.bytes(off + 8, 128));
    }

    public boolean isCrc32() {
        return type == TYPE_CRC32;
    }

    /** The CRC-32 value (meaningful only when {@link #isCrc32()}). */
    public long crc32() {
        return Integer.toUnsignedLong((data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | (data[3] & 0xff));
    }

    public String typeName() {
        if (type == TYPE_NONE) {
            return "none";
        }
        if (type == TYPE_CRC32) {
            return "crc32";
        }
        if (type == 1) {
            return "crc28-udif";
        }
        return "type " + type;
    }

    /** The stored value as hex: the meaningful {@code bits/8} bytes (capped at 128). */
    public String storedHex() {
        int n = (int) Math.min(128, Math.max(0, bits / 8));
        byte[] v = new byte[n];
        System.arraycopy(data, 0, v, 0, n);
        return HexFormat.of().formatHex(v);
    }
}
