package io.vestige.format.ewf;

import io.vestige.io.ChecksumException;
import io.vestige.io.MalformedException;
import io.vestige.io.StructReader;
import java.util.UUID;
import java.util.zip.Adler32;

/**
 * EWF1 {@code volume}/{@code disk}/{@code data} section payload, per libyal EWF section 3.4. Two variants,
 * told apart by size: the 1052-byte EnCase/FTK/linen layout and the 94-byte SMART layout.
 *
 * <pre>
 * EnCase (1052 bytes)                      SMART (94 bytes)
 * 0    1  media type                       0   4  reserved (1)
 * 4    4  chunk count                      4   4  chunk count
 * 8    4  sectors per chunk                8   4  sectors per chunk
 * 12   4  bytes per sector                 12  4  bytes per sector
 * 16   8  sector count                     16  4  sector count
 *                                          85  5  "SMART" (S01) or the file signature
 * 36   1  media flags                      90  4  Adler-32 of bytes 0-89
 * 52   1  compression level
 * 56   4  error granularity
 * 64   16 set identifier (GUID)
 * 1048 4  Adler-32 of bytes 0-1047
 * </pre>
 */
public record EwfVolume(boolean smart, int mediaType, long chunkCount, long sectorsPerChunk, long bytesPerSector,
                        long sectorCount, int mediaFlags, int compressionLevel, long errorGranularity, UUID setGuid,
                        boolean checksumOk, boolean smartSignature) {

    static EwfVolume parse(byte[] b, long offset, String where) throws java.io.IOException {
        String s = "EWF volume section in " + where;
        StructReader r = StructReader.le(b, offset, s);
        Adler32 a = new Adler32();
        if (b.length >= 1052) {
            a.update(b, 0, 1048);
            boolean ok = r.u32(1048) == a.getValue();
            long spc = r.u32(8);
            long bps = r.u32(12);
            UUID guid = r.guidMixed(64);
            EwfVolume v = new EwfVolume(false, r.u8(0), r.u32(4), spc, bps, r.u64(16), r.u8(36), r.u8(52),
                    r.u32(56), guid.getMostSignificantBits() == 0 && guid.getLeastSignificantBits() == 0 ? null : guid,
                    ok, false);
            return v.check(offset, s);
        }
        if (b.length >= 94) {
            a.update(b, 0, 90);
            boolean ok = r.u32(90) == a.getValue();
            // the 94-byte layout records no media type or flags; libewf reports its defaults (removable, image)
            boolean smartSig = b[85] == 'S' && b[86] == 'M' && b[87] == 'A' && b[88] == 'R' && b[89] == 'T';
            return new EwfVolume(true, 0, r.u32(4), r.u32(8), r.u32(12), r.u32(16), 1, -1, 0, null, ok, smartSig)
                    .check(offset, s);
        }
        throw new MalformedException(s, offset, "volume data of " + b.length + " bytes; expected 1052 or 94");
    }

    private EwfVolume check(long offset, String s) throws java.io.IOException {
        if (!checksumOk) {
            throw new ChecksumException(s, offset, "Adler-32 of the volume data does not match");
        }
        if (bytesPerSector == 0 || bytesPerSector > (1 << 20) || (bytesPerSector & (bytesPerSector - 1)) != 0
                && bytesPerSector % 512 != 0) {
            throw MalformedException.expected(s, offset + 12, "bytes per sector", "512, 4096 …", bytesPerSector);
        }
        if (sectorsPerChunk == 0 || sectorsPerChunk > (1 << 24)) {
            throw MalformedException.expected(s, offset + 8, "sectors per chunk", "1..16777216", sectorsPerChunk);
        }
        if (sectorCount < 0 || Long.compareUnsigned(sectorCount, Long.MAX_VALUE / bytesPerSector) > 0) {
            throw MalformedException.expected(s, offset + 16, "sector count", "< 2^63 bytes of media",
                    Long.toUnsignedString(sectorCount));
        }
        return this;
    }

    public long chunkSize() {
        return sectorsPerChunk * bytesPerSector;
    }

    public long mediaSize() {
        return sectorCount * bytesPerSector;
    }

    /** Readable media type as ewfinfo names it. */
    public String mediaTypeName() {
        return switch (mediaType) {
            case 0x00 -> "removable disk";
            case 0x01 -> "fixed disk";
            case 0x03 -> "optical disk";
            case 0x0e -> "logical";
            case 0x10 -> "memory";
            default -> "unknown 0x" + Integer.toHexString(mediaType);
        };
    }
}
