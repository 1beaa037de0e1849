package io.vestige.format.apfs;

import io.vestige.io.BadMagicException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code apfs_superblock_t}, a volume superblock (Apple File System Reference, "Volumes"; offsets
 * as in apfsprogs raw.h).
 *
 * <pre>
 * 32  'APSB'  36 u32 fs_index  40/48/56 features/ro_compat/incompat  64 u64 unmount_time
 * 96  wrapped_meta_crypto_state (20 B)  116/120/124 root/extentref/snap_meta tree types
 * 128 u64 omap_oid (physical)  136 root_tree_oid (virtual)  144 extentref_tree_oid  152 snap_meta_tree_oid
 * 160 u64 revert_to_xid  176 next_obj_id  184 num_files  192 num_directories  200 num_symlinks
 * 208 num_other  216 num_snapshots  240 vol_uuid[16]  256 last_mod_time  264 u64 fs_flags
 * 272 formatted_by {id[32], u64 timestamp, u64 last_xid}  704 volname[256]  964 u16 role
 * 1008 volume_group_id[16]  1032 u64 fext_tree_oid  1040 u32 fext_tree_type
 * </pre>
 */
public record ApfsSuperblock(ObjPhys header, long paddr, long fsIndex, long features, long roCompatFeatures,
                             long incompatFeatures, Instant unmountTime, long rootTreeType, long extentrefTreeType,
                             long snapMetaTreeType, long omapOid, long rootTreeOid, long extentrefTreeOid,
                             long snapMetaTreeOid, long revertToXid, long nextObjId, long numFiles,
                             long numDirectories, long numSymlinks, long numOtherFsObjects, long numSnapshots,
                             UUID uuid, Instant lastModTime, long fsFlags, String formattedBy, Instant formattedAt,
                             String name, int role, UUID volumeGroupId, long fextTreeOid, long fextTreeType) {
    public static final int MAGIC = 0x42535041; // "APSB" read LE
    public static final long INCOMPAT_CASE_INSENSITIVE = 0x1;
    public static final long INCOMPAT_DATALESS_SNAPS = 0x2;
    public static final long INCOMPAT_ENC_ROLLED = 0x4;
    public static final long INCOMPAT_NORMALIZATION_INSENSITIVE = 0x8;
    public static final long INCOMPAT_INCOMPLETE_RESTORE = 0x10;
    public static final long INCOMPAT_SEALED_VOLUME = 0x20;
    public static final long FS_UNENCRYPTED = 0x1;
    public static final long FS_ONEKEY = 0x8;

    static ApfsSuperblock parse(byte[] block, long paddr, long absOffset) throws ParseException {
        StructReader r = StructReader.le(block, absOffset, "APFS apfs_superblock");
        long magic = r.u32(32);
        if (magic != Integer.toUnsignedLong(MAGIC)) {
            throw new BadMagicException("APFS apfs_superblock", absOffset + 32, "APSB", String.format("0x%08x", magic));
        }
        long g1 = r.u64(1008);
        long g2 = r.u64(1016);
        UUID group = g1 == 0 && g2 == 0 ? null : r.uuidBE(1008);
        return new ApfsSuperblock(ObjPhys.parse(r), paddr, r.u32(36), r.u64(40), r.u64(48), r.u64(56),
                Apfs.time(r.u64(64)), r.u32(116), r.u32(120), r.u32(124), r.u64(128), r.u64(136), r.u64(144),
                r.u64(152), r.u64(160), r.u64(176), r.u64(184), r.u64(192), r.u64(200), r.u64(208), r.u64(216),
                r.uuidBE(240), Apfs.time(r.u64(256)), r.u64(264), r.cstring(272, 32), Apfs.time(r.u64(304)),
                utf8z(block, 704, 256), r.u16(964), group, r.u64(1032), r.u32(1040));
    }

    private static String utf8z(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    public long xid() {
        return header.xid();
    }

    public boolean caseInsensitive() {
        return (incompatFeatures & INCOMPAT_CASE_INSENSITIVE) != 0;
    }

    /** Directory-record keys carry a name hash on normalization-insensitive volumes. */
    public boolean hashedNames() {
        return (incompatFeatures & (INCOMPAT_CASE_INSENSITIVE | INCOMPAT_NORMALIZATION_INSENSITIVE)) != 0;
    }

    public boolean sealed() {
        return (incompatFeatures & INCOMPAT_SEALED_VOLUME) != 0;
    }

    /** True unless the volume is flagged {@code APFS_FS_UNENCRYPTED}. */
    public boolean encrypted() {
        return (fsFlags & FS_UNENCRYPTED) == 0;
    }

    /** The role name as Disk Utility shows it ({@code System}, {@code Data}, {@code Preboot} …), or {@code ""}. */
    public String roleName() {
        return Apfs.roleName(role);
    }
}
