package io.vestige.format.mbr;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;

/**
 * One 16-byte MBR/EBR partition entry (at 446 + 16 × slot, little-endian).
 *
 * <pre>
 * 0  1  boot indicator (0x00 or 0x80)
 * 1  3  CHS of the first sector
 * 4  1  partition type
 * 5  3  CHS of the last sector
 * 8  4  first LBA (relative: to the disk in the MBR, to the EBR or the extended partition in EBRs)
 * 12 4  sector count
 * </pre>
 */
public record MbrPartitionEntry(int slot, int bootIndicator, int type, long firstLba, long sectorCount) {

    static MbrPartitionEntry parse(StructReader r, int slot) throws TruncatedException {
        int o = 446 + 16 * slot;
        return new MbrPartitionEntry(slot, r.u8(o), r.u8(o + 4), r.u32(o + 8), r.u32(o + 12));
    }

    public boolean empty() {
        return type == 0 && sectorCount == 0 && firstLba == 0;
    }

    public boolean extended() {
        return type == 0x05 || type == 0x0f || type == 0x85;
    }

    /** Readable name of an MBR partition type byte. */
    public static String typeName(int type) {
        return switch (type) {
            case 0x01 -> "FAT12";
            case 0x04 -> "FAT16 (<32 MiB)";
            case 0x05 -> "Extended";
            case 0x06 -> "FAT16";
            case 0x07 -> "NTFS / exFAT / HPFS";
            case 0x0b -> "FAT32 (CHS)";
            case 0x0c -> "FAT32 (LBA)";
            case 0x0e -> "FAT16 (LBA)";
            case 0x0f -> "Extended (LBA)";
            case 0x11 -> "Hidden FAT12";
            case 0x12 -> "Compaq diagnostics / recovery";
            case 0x17 -> "Hidden NTFS";
            case 0x1b -> "Hidden FAT32";
            case 0x1c -> "Hidden FAT32 (LBA)";
            case 0x27 -> "Windows recovery";
            case 0x42 -> "Windows dynamic disk";
            case 0x82 -> "Linux swap / Solaris";
            case 0x83 -> "Linux";
            case 0x85 -> "Linux extended";
            case 0x8e -> "Linux LVM";
            case 0xa5 -> "FreeBSD";
            case 0xa6 -> "OpenBSD";
            case 0xa8 -> "Apple UFS";
            case 0xa9 -> "NetBSD";
            case 0xab -> "Apple Boot";
            case 0xaf -> "Apple HFS/HFS+";
            case 0xbe -> "Solaris boot";
            case 0xee -> "GPT protective";
            case 0xef -> "EFI System";
            case 0xfb -> "VMware VMFS";
            case 0xfd -> "Linux RAID";
            default -> String.format("0x%02x", type);
        };
    }
}
