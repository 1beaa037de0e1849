package io.vestige.format.apm;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;

/**
 * Apple Partition Map entry (one per block from block 1, big-endian), per Inside Macintosh: Devices
 * "Partition Map Entry".
 *
 * <pre>
 * 0  2  signature "PM"            48 32 type (Apple_HFS, Apple_APFS, Apple_Free …)
 * 4  4  entries in the map        80 4  first logical data block
 * 8  4  first physical block      84 4  data block count
 * 12 4  block count               88 4  status flags
 * 16 32 name
 * </pre>
 */
public record ApmEntry(int index, long mapEntries, long startBlock, long blockCount, String name, String type,
                       long status) {

    static ApmEntry parse(StructReader r, int index) throws TruncatedException {
        return new ApmEntry(index, r.u32(4), r.u32(8), r.u32(12), cstr(r.bytes(16, 32)), cstr(r.bytes(48, 32)),
                r.u32(88));
    }

    private static String cstr(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Readable name of an APM partition type. */
    public static String typeName(String type) {
        return switch (type) {
            case "Apple_HFS" -> "Apple HFS/HFS+";
            case "Apple_HFSX" -> "Apple HFSX";
            case "Apple_APFS" -> "Apple APFS";
            case "Apple_Free" -> "free space";
            case "Apple_partition_map" -> "partition map";
            case "Apple_Boot" -> "Apple Boot";
            case "Apple_UFS" -> "Apple UFS";
            case "Apple_CoreStorage" -> "Apple Core Storage";
            case "Apple_Driver", "Apple_Driver43", "Apple_Driver43_CD", "Apple_Driver_ATA", "Apple_Driver_ATAPI",
                 "Apple_FWDriver", "Apple_Driver_IOKit" -> "Apple driver";
            case "Apple_Patches" -> "Apple patches";
            case "Apple_Void" -> "void";
            default -> type;
        };
    }
}
