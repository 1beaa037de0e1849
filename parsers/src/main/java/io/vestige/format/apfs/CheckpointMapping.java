package io.vestige.format.apfs;

/**
 * {@code checkpoint_mapping_t}: where an ephemeral object of one checkpoint lives (Apple File
 * System Reference, "Checkpoint"). 40 bytes in a {@code checkpoint_map_phys_t} block:
 *
 * <pre>
 * 0 u32 cpm_type  4 u32 cpm_subtype  8 u32 cpm_size  12 pad  16 u64 cpm_fs_oid  24 u64 cpm_oid  32 u64 cpm_paddr
 * </pre>
 * The map block itself: 32 obj header, 32 u32 cpm_flags (1 = last), 36 u32 cpm_count, 40 entries.
 */
public record CheckpointMapping(long type, long subtype, long size, long fsOid, long oid, long paddr) {
    static final int SIZE = 40;
}
