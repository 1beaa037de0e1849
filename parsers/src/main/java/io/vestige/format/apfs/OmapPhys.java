package io.vestige.format.apfs;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;

/**
 * {@code omap_phys_t}, an object map header (Apple File System Reference, "Object Maps").
 *
 * <pre>
 * 32 u32 om_flags  36 u32 om_snap_count  40 u32 om_tree_type  44 u32 om_snapshot_tree_type
 * 48 u64 om_tree_oid (physical)  56 u64 om_snapshot_tree_oid  64 u64 om_most_recent_snap
 * </pre>
 */
public record OmapPhys(ObjPhys header, long flags, long snapCount, long treeType, long snapshotTreeType,
                       long treeOid, long snapshotTreeOid, long mostRecentSnap) {
    static OmapPhys parse(StructReader r) throws TruncatedException {
        return new OmapPhys(ObjPhys.parse(r), r.u32(32), r.u32(36), r.u32(40), r.u32(44), r.u64(48), r.u64(56),
                r.u64(64));
    }
}
