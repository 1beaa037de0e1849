package io.vestige.format.apfs;

import java.time.Instant;

/**
 * A volume snapshot from the snapshot metadata tree: {@code j_snap_metadata_val_t} keyed by the
 * snapshot's xid (Apple File System Reference, "Snapshot Metadata").
 *
 * <pre>
 * 0 u64 extentref_tree_oid  8 u64 sblock_oid (physical APSB copy)  16 create_time  24 change_time
 * 32 u64 inum  40 u32 extentref_tree_type  44 u32 flags  48 u16 name_len  50 name (NUL-terminated)
 * </pre>
 */
public record ApfsSnapshot(String name, long xid, long sblockOid, Instant created, Instant changed, long inum,
                           long flags) {
}
