package io.vestige.format.udif;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The UDIF trailer ("UDIFResourceFile", 512 bytes, BE) found in the last 512 bytes of a .dmg (some
 * writers also or instead put it first). Reference: FORMATS.md §2.1; libmodi "Mac OS disk image
 * types" §UDIF resource file; apple-codesign {@code dmg.rs} for the code-signature fields.
 *
 * <pre>
 *   0 "koly"            4 version (4)           8 header size (512)    12 flags
 *  16 running data fork offset (u64)            24 data fork offset     32 data fork length
 *  40 resource fork offset                      48 resource fork length
 *  56 segment number    60 segment count        64 segment id (16-byte UUID)
 *  80 data fork checksum (136)                  216 XML plist offset    224 XML plist length
 * 296 code signature offset                     304 code signature length
 * 352 master checksum (136)                     488 image variant       492 sector count (u64)
 * </pre>
 */
public record Koly(long offset, long version, long headerSize, long flags, long runningDataForkOffset,
                   long dataForkOffset, long dataForkLength, long rsrcForkOffset, long rsrcForkLength,
                   long segmentNumber, long segmentCount, UUID segmentId, UdifChecksum dataForkChecksum,
                   long xmlOffset, long xmlLength, long codeSignatureOffset, long codeSignatureLength,
                   UdifChecksum masterChecksum, long imageVariant, long sectorCount) {

    public static final int SIZE = 512;
    public static final long VERSION = 4;
    static final byte[] MAGIC = {'k', 'o', 'l', 'y'};

    /** True when the 512 bytes look like a koly block: magic, version 4 and header size 512. */
    public static boolean looksLike(byte[] b) {
        if (b.length < SIZE) {
            return false;
        }
        return b[0] == 'k' && b[1] == 'o' && b[2] == 'l' && b[3] == 'y'
                && be32(b, 4) == VERSION && be32(b, 8) == SIZE;
    }

    /** Parses 512 bytes read at absolute {@code offset}. */
    public static Koly parse(byte[] b, long offset) throws ParseException {
        StructReader r = StructReader.be(b, offset, "UDIF koly");
        if (b.length < SIZE || b[0] != 'k' || b[1] != 'o' || b[2] != 'l' || b[3] != 'y') {
            throw new BadMagicException("UDIF koly", offset, "koly", b.length < 4 ? "(short)" : new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        long version = r.u32(4);
        long headerSize = r.u32(8);
        if (version != VERSION || headerSize != SIZE) {
            throw new MalformedException("UDIF koly", offset, "version/header size: expected 4/512, found "
                    + version + "/" + headerSize);
        }
        return new Koly(offset, version, headerSize, r.u32(12), r.u64(16), r.u64(24), r.u64(32), r.u64(40), r.u64(48),
                r.u32(56), r.u32(60), r.uuidBE(64), UdifChecksum.read(r, 80), r.u64(216), r.u64(224),
                r.u64(296), r.u64(304), UdifChecksum.read(r, 352), r.u32(488), r.u64(492));
    }

    private static long be32(byte[] b, int o) {
        return Integer.toUnsignedLong((b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff));
    }

    /** The fields for {@code ContainerInfo.details} (unsigned values as numbers or strings). */
    Map<String, Object> toDetails() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset", offset);
        m.put("version", version);
        m.put("flags", "0x" + Long.toHexString(flags));
        m.put("runningDataForkOffset", Long.toUnsignedString(runningDataForkOffset));
        m.put("dataForkOffset", Long.toUnsignedString(dataForkOffset));
        m.put("dataForkLength", Long.toUnsignedString(dataForkLength));
        m.put("rsrcForkOffset", Long.toUnsignedString(rsrcForkOffset));
        m.put("rsrcForkLength", Long.toUnsignedString(rsrcForkLength));
        m.put("segmentNumber", segmentNumber);
        m.put("segmentCount", segmentCount);
        m.put("segmentId", segmentId.toString());
        m.put("xmlOffset", Long.toUnsignedString(xmlOffset));
        m.put("xmlLength", Long.toUnsignedString(xmlLength));
        m.put("codeSignatureOffset", Long.toUnsignedString(codeSignatureOffset));
        m.put("codeSignatureLength", Long.toUnsignedString(codeSignatureLength));
        m.put("imageVariant", imageVariant == 1 ? "device (1)" : imageVariant == 2 ? "partition (2)" : Long.toString(imageVariant));
        m.put("sectorCount", Long.toUnsignedString(sectorCount));
        return m;
    }
}
