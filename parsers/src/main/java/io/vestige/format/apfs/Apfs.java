package io.vestige.format.apfs;

import java.time.Instant;

/** Shared constants and small conversions of the APFS format (Apple File System Reference). */
final class Apfs {
    private Apfs() {
    }

    static final long OBJ_ID_MASK = 0x0fffffffffffffffL;
    static final int J_SNAP_METADATA = 1;
    static final int J_EXTENT = 2;
    static final int J_INODE = 3;
    static final int J_XATTR = 4;
    static final int J_SIBLING_LINK = 5;
    static final int J_DSTREAM_ID = 6;
    static final int J_CRYPTO_STATE = 7;
    static final int J_FILE_EXTENT = 8;
    static final int J_DIR_REC = 9;
    static final int J_DIR_STATS = 10;
    static final int J_SNAP_NAME = 11;
    static final int J_SIBLING_MAP = 12;
    static final long ROOT_DIR_INO = 2;
    static final long PRIV_DIR_INO = 3;

    /** APFS times are unsigned nanoseconds since 1970-01-01 UTC; 0 means unset. */
    static Instant time(long ns) {
        if (ns == 0) {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    static Instant timeOrEpoch(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    static String roleName(int role) {
        return switch (role) {
            case 0 -> "";
            case 0x1 -> "System";
            case 0x2 -> "User";
            case 0x4 -> "Recovery";
            case 0x8 -> "VM";
            case 0x10 -> "Preboot";
            case 0x20 -> "Installer";
            case 0x40 -> "Data";
            case 0x80 -> "Baseband";
            case 0xC0 -> "Update";
            case 0x100 -> "xART";
            case 0x140 -> "Hardware";
            case 0x180 -> "Backup";
            case 0x240 -> "Enterprise";
            case 0x2C0 -> "Prelogin";
            default -> String.format("0x%x", role);
        };
    }
}
