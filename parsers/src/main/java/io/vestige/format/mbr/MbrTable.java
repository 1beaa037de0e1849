package io.vestige.format.mbr;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A DOS/MBR partition table with its extended-partition (EBR) chain, 512-byte sectors. Probing is
 * strict because many boot sectors end in 0x55AA: the four entries must be sane (boot flag 0 or
 * 0x80, non-overlapping, inside 32-bit LBA space, at least one in use) and FAT/NTFS boot sectors
 * are rejected. A protective MBR (type 0xEE) is left to GPT.
 *
 * @param partitions primaries (slot numbers 1-4) and logicals (5, 6 … in chain order), extended containers excluded
 */
public record MbrTable(List<Logical> partitions, List<MbrPartitionEntry> primaries, long diskSignature,
                       List<Diagnostic> diagnostics) {
    public static final int SECTOR = 512;

    /** A data partition with its absolute position. */
    public record Logical(int index, int type, boolean bootable, long firstLba, long sectorCount, boolean logical) {
    }

    public static boolean probe(ByteSource media) throws IOException {
        byte[] b = media.readAtMost(0, SECTOR);
        return b.length == SECTOR && saneMbr(b, media.size(), true) == null;
    }

    /** Null when {@code b} looks like a partition table; otherwise why not. */
    static String saneMbr(byte[] b, long mediaSize, boolean rejectProtective) {
        if ((b[510] & 0xff) != 0x55 || (b[511] & 0xff) != 0xaa) {
            return "no 0x55AA signature";
        }
        String oem = new String(b, 3, 8, StandardCharsets.ISO_8859_1);
        if (oem.startsWith("NTFS") || oem.startsWith("EXFAT") || new String(b, 54, 5, StandardCharsets.ISO_8859_1)
                .equals("FAT12") || new String(b, 54, 5, StandardCharsets.ISO_8859_1).equals("FAT16")
                || new String(b, 82, 5, StandardCharsets.ISO_8859_1).equals("FAT32")) {
            return "a FAT/NTFS/exFAT boot sector, not a partition table";
        }
        int used = 0;
        long[][] ranges = new long[4][];
        for (int i = 0; i < 4; i++) {
            int o = 446 + 16 * i;
            int boot = b[o] & 0xff;
            int type = b[o + 4] & 0xff;
            long start = le32(b, o + 8);
            long count = le32(b, o + 12);
            if (boot != 0 && boot != 0x80) {
                return "entry " + (i + 1) + " has boot flag 0x" + Integer.toHexString(boot);
            }
            if (type == 0) {
                if (count != 0 && start != 0) {
                    return "entry " + (i + 1) + " has no type but a range";
                }
                continue;
            }
            if (type == 0xee && rejectProtective) {
                return "protective MBR (GPT disk)";
            }
            if (start == 0 || count == 0) {
                return "entry " + (i + 1) + " starts at LBA " + start + " with " + count + " sectors";
            }
            ranges[i] = new long[] {start, start + count};
            used++;
        }
        if (used == 0) {
            return "no partition entry in use";
        }
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                if (ranges[i] != null && ranges[j] != null && ranges[i][0] < ranges[j][1] && ranges[j][0] < ranges[i][1]) {
                    return "entries " + (i + 1) + " and " + (j + 1) + " overlap";
                }
            }
        }
        return null;
    }

    static long le32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    public static MbrTable read(ByteSource media, ParseLimits limits) throws IOException {
        byte[] b = media.readBytes(0, SECTOR);
        String why = saneMbr(b, media.size(), false);
        if (why != null) {
            if ((b[510] & 0xff) != 0x55 || (b[511] & 0xff) != 0xaa) {
                throw new BadMagicException("MBR", 510, "55aa", String.format("%02x%02x", b[510], b[511]));
            }
            throw new MalformedException("MBR", 446, why);
        }
        StructReader r = StructReader.le(b, 0, "MBR");
        List<Diagnostic> diags = new ArrayList<>();
        List<MbrPartitionEntry> prim = new ArrayList<>();
        List<Logical> parts = new ArrayList<>();
        long mediaSectors = media.size() / SECTOR;
        MbrPartitionEntry ext = null;
        for (int i = 0; i < 4; i++) {
            MbrPartitionEntry e = MbrPartitionEntry.parse(r, i);
            prim.add(e);
            if (e.type() == 0) {
                continue;
            }
            if (e.extended()) {
                if (ext == null) {
                    ext = e;
                } else {
                    diags.add(Diagnostic.warning(media.describe(), "MBR", 446 + 16 * i, "second extended partition in"
                            + " slot " + (i + 1) + " ignored"));
                }
                continue;
            }
            check(media, e.firstLba(), e.sectorCount(), i + 1, mediaSectors, diags);
            parts.add(new Logical(i + 1, e.type(), e.bootIndicator() == 0x80, e.firstLba(), e.sectorCount(), false));
        }
        if (ext != null) {
            logicals(media, ext, limits, parts, diags);
        }
        return new MbrTable(parts, prim, r.u32(440), diags);
    }

    private static void check(ByteSource media, long first, long count, int index, long mediaSectors,
                              List<Diagnostic> diags) {
        if (first + count > mediaSectors) {
            diags.add(Diagnostic.warning(media.describe(), "MBR", first * SECTOR, "partition " + index
                    + " (LBA " + first + " + " + count + ") ends beyond the media (" + mediaSectors + " sectors)"));
        }
    }

    /** Follows the EBR chain: bounded by maxTableEntries and a visited set. */
    private static void logicals(ByteSource media, MbrPartitionEntry ext, ParseLimits limits, List<Logical> parts,
                                 List<Diagnostic> diags) throws IOException {
        long extStart = ext.firstLba();
        long ebr = extStart;
        Set<Long> seen = new HashSet<>();
        int index = 5;
        long max = Math.min(limits.maxTableEntries(), 4096);
        long mediaSectors = media.size() / SECTOR;
        while (true) {
            if (!seen.add(ebr)) {
                diags.add(Diagnostic.warning(media.describe(), "EBR", ebr * SECTOR, "extended partition chain loops"
                        + " back to LBA " + ebr + "; stopped"));
                return;
            }
            if (seen.size() > max) {
                diags.add(Diagnostic.warning(media.describe(), "EBR", ebr * SECTOR, "more than " + max
                        + " logical partitions; stopped"));
                return;
            }
            if (ebr >= mediaSectors) {
                diags.add(Diagnostic.warning(media.describe(), "EBR", ebr * SECTOR, "EBR at LBA " + ebr
                        + " lies beyond the media; chain stopped"));
                return;
            }
            byte[] b = media.readBytes(ebr * SECTOR, SECTOR);
            if ((b[510] & 0xff) != 0x55 || (b[511] & 0xff) != 0xaa) {
                diags.add(Diagnostic.warning(media.describe(), "EBR", ebr * SECTOR + 510, "EBR at LBA " + ebr
                        + " lacks the 0x55AA signature; chain stopped"));
                return;
            }
            StructReader r = StructReader.le(b, ebr * SECTOR, "EBR");
            MbrPartitionEntry data = MbrPartitionEntry.parse(r, 0);
            MbrPartitionEntry next = MbrPartitionEntry.parse(r, 1);
            if (data.type() != 0 && data.sectorCount() > 0) {
                long first = ebr + data.firstLba();
                check(media, first, data.sectorCount(), index, mediaSectors, diags);
                parts.add(new Logical(index++, data.type(), data.bootIndicator() == 0x80, first, data.sectorCount(),
                        true));
            }
            if (next.type() == 0 || next.sectorCount() == 0 || !next.extended()) {
                return;
            }
            ebr = extStart + next.firstLba();
        }
    }
}
