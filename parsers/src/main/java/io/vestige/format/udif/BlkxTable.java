package io.vestige.format.udif;

import io.vestige.io.BadMagicException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code mish} block table ("BLKXTable", BE): the chunks of one partition of the image. The header
 * is 204 bytes and the chunk count sits at offset 200 (libmodi's document prints 104 — a typo;
 * apfs-fuse asserts 0xCC). Reference: FORMATS.md §2.2.
 *
 * <pre>
 *   0 "mish"   4 u32 version (1)   8 u64 first sector   16 u64 sector count   24 u64 data offset
 *  32 u32 buffers needed   36 u32 block descriptors   40 24 reserved   64 checksum (136)
 * 200 u32 chunk count   204 chunks (40 bytes each)
 * </pre>
 *
 * @param name       the blkx entry's CFName (or Name), e.g. {@code "Apple_HFS : 4"}
 * @param id         the entry's ID attribute (-1 for the protective MBR, …)
 * @param attributes the entry's Attributes value
 */
public record BlkxTable(String name, long id, long attributes, long version, long firstSector, long sectorCount,
                        long dataOffset, long buffersNeeded, long blockDescriptors, UdifChecksum checksum,
                        List<BlkxChunk> chunks) {
    public static final int HEADER_SIZE = 204;

    public BlkxTable {
        chunks = List.copyOf(chunks);
    }

    /** Parses a table from its bytes ({@code where} = absolute offset or -1 when it came from the plist). */
    public static BlkxTable parse(byte[] b, long where, String name, long id, long attributes, ParseLimits limits)
            throws ParseException {
        String structure = "UDIF mish table '" + name + "'";
        StructReader r = StructReader.be(b, Math.max(where, 0), structure);
        if (b.length < 4 || b[0] != 'm' || b[1] != 'i' || b[2] != 's' || b[3] != 'h') {
            throw new BadMagicException(structure, where, "mish",
                    b.length < 4 ? "(" + b.length + " bytes)" : new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        if (b.length < HEADER_SIZE) {
            throw new TruncatedException(structure, where, HEADER_SIZE, b.length);
        }
        long count = r.u32(200);
        limits.check("maxTableEntries", count, structure, r.at(200));
        long room = (b.length - HEADER_SIZE) / BlkxChunk.SIZE;
        if (count > room) {
            throw new TruncatedException(structure, r.at(200), "chunk count " + count + " needs "
                    + (HEADER_SIZE + count * BlkxChunk.SIZE) + " bytes, table has " + b.length);
        }
        List<BlkxChunk> chunks = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int o = HEADER_SIZE + i * BlkxChunk.SIZE;
            chunks.add(new BlkxChunk(r.u32(o), r.u32(o + 4), r.u64(o + 8), r.u64(o + 16), r.u64(o + 24), r.u64(o + 32)));
        }
        return new BlkxTable(name, id, attributes, r.u32(4), r.u64(8), r.u64(16), r.u64(24), r.u32(32), r.u32(36),
                UdifChecksum.read(r, 64), chunks);
    }
}
