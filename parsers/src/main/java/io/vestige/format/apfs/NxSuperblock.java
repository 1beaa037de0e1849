package io.vestige.format.apfs;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code nx_superblock_t}, the container superblock (Apple File System Reference, "Container";
 * offsets checked against apfsprogs raw.h). All fields little-endian.
 *
 * <pre>
 * 32  u32 nx_magic 'NXSB'        36  u32 nx_block_size       40  u64 nx_block_count
 * 48  u64 features  56 ro_compat  64 incompat                72  uuid[16]
 * 88  u64 nx_next_oid            96  u64 nx_next_xid
 * 104 u32 xp_desc_blocks (bit 31 non-contiguous)   108 u32 xp_data_blocks
 * 112 u64 xp_desc_base  120 u64 xp_data_base  128 u32 desc_next 132 data_next
 * 136 u32 desc_index 140 desc_len 144 data_index 148 data_len
 * 152 u64 spaceman_oid 160 u64 omap_oid (physical) 168 u64 reaper_oid
 * 180 u32 max_file_systems  184 u64 fs_oid[100] (virtual)
 * 1264 u64 nx_flags  1296 prange keylocker {u64 start, u64 count}
 * </pre>
 *
 * @param paddr block address this copy was read from
 */
public record NxSuperblock(ObjPhys header, long paddr, int blockSize, long blockCount, long features,
                           long roCompatFeatures, long incompatFeatures, UUID uuid, long nextOid, long nextXid,
                           long xpDescBlocks, long xpDataBlocks, long xpDescBase, long xpDataBase,
                           long xpDescIndex, long xpDescLen, long xpDataIndex, long xpDataLen,
                           long spacemanOid, long omapOid, long reaperOid, int maxFileSystems,
                           List<Long> fsOids, long flags, long keylockerStart, long keylockerCount) {
    public static final int MAGIC = 0x4253584e; // "NXSB" read LE
    public static final long INCOMPAT_FUSION = 0x100;
    static final int MAX_FILE_SYSTEMS = 100;

    public NxSuperblock {
        fsOids = List.copyOf(fsOids);
    }

    /** Parses (without checksum verification) the superblock in {@code block} read at block {@code paddr}. */
    static NxSuperblock parse(byte[] block, long paddr, long absOffset) throws ParseException {
        StructReader r = StructReader.le(block, absOffset, "APFS nx_superblock");
        long magic = r.u32(32);
        if (magic != Integer.toUnsignedLong(MAGIC)) {
            throw new BadMagicException("APFS nx_superblock", absOffset + 32, "NXSB", String.format("0x%08x", magic));
        }
        ObjPhys o = ObjPhys.parse(r);
        long bs = r.u32(36);
        if (bs < 4096 || bs > 65536 || Long.bitCount(bs) != 1) {
            throw MalformedException.expected("APFS nx_superblock", absOffset + 36, "nx_block_size",
                    "a power of two in 4096..65536", bs);
        }
        long maxFs = r.u32(180);
        List<Long> oids = new ArrayList<>();
        for (int i = 0; i < MAX_FILE_SYSTEMS; i++) {
            long oid = r.u64(184 + 8 * i);
            if (oid != 0) {
                oids.add(oid);
            }
        }
        return new NxSuperblock(o, paddr, (int) bs, r.u64(40), r.u64(48), r.u64(56), r.u64(64), r.uuidBE(72),
                r.u64(88), r.u64(96), r.u32(104), r.u32(108), r.u64(112), r.u64(120), r.u32(136), r.u32(140),
                r.u32(144), r.u32(148), r.u64(152), r.u64(160), r.u64(168), (int) Math.min(maxFs, MAX_FILE_SYSTEMS),
                oids, r.u64(1264), r.u64(1296), r.u64(1304));
    }

    public long xid() {
        return header.xid();
    }

    /** Number of checkpoint descriptor blocks (without the non-contiguous flag). */
    public long descBlocks() {
        return xpDescBlocks & 0x7fffffffL;
    }

    public boolean descNonContiguous() {
        return (xpDescBlocks & 0x80000000L) != 0;
    }
}
