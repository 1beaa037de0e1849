package io.vestige.format.gpt;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A GUID Partition Table read from media: the sector size is probed (512, then 4096), both CRC-32s
 * are checked, and a damaged primary header or entry array falls back to the backup copy at the
 * last LBA with a diagnostic. Entry size is honoured; counts are bounded before allocation.
 *
 * @param blockSize   sector size the table was found with
 * @param header      the header used
 * @param entries     used entries (non-zero type GUID), in table order
 * @param usedBackup  true when the backup header or entry array was used
 * @param diagnostics damage found on the way
 */
public record GptTable(int blockSize, GptHeader header, List<GptEntry> entries, boolean usedBackup,
                       List<Diagnostic> diagnostics) {
    static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    static final int[] SECTOR_SIZES = {512, 4096};

    /** True when a GPT header signature sits at LBA 1 (or, for a damaged primary, at the last LBA). */
    public static boolean probe(ByteSource media) throws IOException {
        for (int ss : SECTOR_SIZES) {
            if (sigAt(media, ss)) {
                return true;
            }
        }
        byte[] mbr = media.readAtMost(0, 512);
        if (mbr.length == 512 && (mbr[510] & 0xff) == 0x55 && (mbr[511] & 0xff) == 0xaa && hasProtective(mbr)) {
            for (int ss : SECTOR_SIZES) {
                if (media.size() >= 2L * ss && sigAt(media, media.size() / ss * ss - ss)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasProtective(byte[] mbr) {
        for (int i = 0; i < 4; i++) {
            if ((mbr[446 + 16 * i + 4] & 0xff) == 0xee) {
                return true;
            }
        }
        return false;
    }

    private static boolean sigAt(ByteSource media, long off) throws IOException {
        byte[] b = media.readAtMost(off, 8);
        return Arrays.equals(b, SIGNATURE);
    }

    /** Reads the table. */
    public static GptTable read(ByteSource media, ParseLimits limits) throws IOException {
        List<Diagnostic> diags = new ArrayList<>();
        ParseException firstError = null;
        for (int ss : SECTOR_SIZES) {
            if (media.size() < 2L * ss) {
                continue;
            }
            boolean primaryPresent = sigAt(media, ss);
            long lastLba = media.size() / ss - 1;
            boolean backupPresent = sigAt(media, lastLba * ss);
            if (!primaryPresent && !backupPresent) {
                continue;
            }
            GptHeader primary = null;
            if (primaryPresent) {
                try {
                    primary = header(media, ss, 1, limits);
                } catch (ParseException e) {
                    firstError = e;
                    diags.add(Diagnostic.warning(media.describe(), "GPT header", e.offset(), "primary GPT header "
                            + "unusable: " + e.getMessage()));
                }
            }
            long backupLba = primary != null && primary.alternateLba() > 1 && primary.alternateLba() <= lastLba
                    ? primary.alternateLba() : lastLba;
            if (primary != null) {
                try {
                    List<GptEntry> entries = entries(media, ss, primary, limits);
                    checkBackup(media, ss, backupLba, primary, limits, diags);
                    return new GptTable(ss, primary, entries, false, diags);
                } catch (ChecksumException e) {
                    diags.add(Diagnostic.warning(media.describe(), "GPT entries", e.offset(),
                            "primary GPT entry array unusable: " + e.getMessage()));
                    firstError = e;
                }
            }
            GptHeader backup = null;
            try {
                backup = header(media, ss, backupLba, limits);
            } catch (ParseException e) {
                if (firstError == null) {
                    firstError = e;
                }
                if (primary == null && backupLba != lastLba) {
                    try {
                        backup = header(media, ss, lastLba, limits);
                    } catch (ParseException e2) {
                        // keep the first error
                    }
                }
            }
            if (backup != null) {
                try {
                    List<GptEntry> entries = entries(media, ss, backup, limits);
                    diags.add(Diagnostic.warning(media.describe(), "GPT header", backup.myLba() * ss,
                            "using the backup GPT at LBA " + backup.myLba()));
                    return new GptTable(ss, backup, entries, true, diags);
                } catch (ChecksumException e) {
                    if (primary != null) {
                        // both entry arrays fail their CRC (rufus #954 style): use the primary's, flagged
                        diags.add(Diagnostic.error(media.describe(), "GPT entries", e.offset(),
                                "backup GPT entry array also fails its CRC; primary entries used as they are"));
                        return new GptTable(ss, primary, entriesUnchecked(media, ss, primary, limits), false, diags);
                    }
                    throw e;
                }
            }
            if (primary != null) {
                diags.add(Diagnostic.error(media.describe(), "GPT entries", primary.entriesLba() * ss,
                        "no backup GPT; primary entries used despite their CRC mismatch"));
                return new GptTable(ss, primary, entriesUnchecked(media, ss, primary, limits), false, diags);
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        throw new BadMagicException("GPT header", 512, "EFI PART at LBA 1 (512 or 4096-byte sectors)", "none");
    }

    private static void checkBackup(ByteSource media, int ss, long backupLba, GptHeader primary, ParseLimits limits,
                                    List<Diagnostic> diags) throws IOException {
        try {
            GptHeader b = header(media, ss, backupLba, limits);
            if (b.entriesCrc() != primary.entriesCrc()) {
                diags.add(Diagnostic.info(media.describe(), "GPT header", backupLba * ss,
                        "backup GPT entry CRC differs from the primary's"));
            }
        } catch (ParseException e) {
            diags.add(Diagnostic.info(media.describe(), "GPT header", backupLba * ss,
                    "backup GPT header at LBA " + backupLba + " unusable: " + e.getMessage()));
        }
    }

    static GptHeader header(ByteSource media, int ss, long lba, ParseLimits limits) throws IOException {
        long off = Math.multiplyExact(lba, (long) ss);
        String s = "GPT header (" + ss + "-byte sectors, LBA " + lba + ")";
        byte[] b = media.readBytes(off, ss);
        if (!Arrays.equals(Arrays.copyOf(b, 8), SIGNATURE)) {
            throw new BadMagicException(s, off, "EFI PART", new String(b, 0, 8, StandardCharsets.ISO_8859_1));
        }
        StructReader r = StructReader.le(b, off, s);
        GptHeader h = GptHeader.parse(r);
        if (h.headerSize() < 92 || h.headerSize() > ss) {
            throw MalformedException.expected(s, off + 12, "header size", "92.." + ss, h.headerSize());
        }
        byte[] copy = Arrays.copyOf(b, (int) h.headerSize());
        Arrays.fill(copy, 16, 20, (byte) 0);
        CRC32 c = new CRC32();
        c.update(copy);
        if (c.getValue() != h.headerCrc()) {
            throw new ChecksumException(s, off + 16, "CRC-32", h.headerCrc(), c.getValue());
        }
        if (h.myLba() != lba) {
            throw MalformedException.expected(s, off + 24, "own LBA", lba, h.myLba());
        }
        if (h.entrySize() < 128 || h.entrySize() % 8 != 0 || h.entrySize() > 4096) {
            throw MalformedException.expected(s, off + 84, "entry size", "128 × 2^n", h.entrySize());
        }
        limits.check("maxTableEntries", h.entryCount(), s + " entry count", off + 80);
        long bytes = h.entryCount() * h.entrySize();
        limits.check("maxMetadataSize", bytes, s + " entry array", off + 80);
        long start = h.entriesLba();
        if (start < 1 || Long.compareUnsigned(start, media.size() / ss) >= 0
                || Math.multiplyExact(start, (long) ss) + bytes > media.size()) {
            throw new MalformedException(s, off + 72, "entry array at LBA " + Long.toUnsignedString(start) + " ("
                    + bytes + " bytes) lies outside the media (" + media.size() + " bytes)");
        }
        return h;
    }

    private static byte[] entryBytes(ByteSource media, int ss, GptHeader h) throws IOException {
        return media.readBytes(h.entriesLba() * ss, (int) (h.entryCount() * h.entrySize()));
    }

    static List<GptEntry> entries(ByteSource media, int ss, GptHeader h, ParseLimits limits) throws IOException {
        byte[] b = entryBytes(media, ss, h);
        CRC32 c = new CRC32();
        c.update(b);
        if (c.getValue() != h.entriesCrc()) {
            throw new ChecksumException("GPT entry array (LBA " + h.entriesLba() + ")", h.entriesLba() * ss,
                    "CRC-32", h.entriesCrc(), c.getValue());
        }
        return parseEntries(b, ss, h);
    }

    private static List<GptEntry> entriesUnchecked(ByteSource media, int ss, GptHeader h, ParseLimits limits)
            throws IOException {
        return parseEntries(entryBytes(media, ss, h), ss, h);
    }

    private static List<GptEntry> parseEntries(byte[] b, int ss, GptHeader h) throws IOException {
        StructReader r = StructReader.le(b, h.entriesLba() * ss, "GPT entry array");
        List<GptEntry> out = new ArrayList<>();
        for (int i = 0; i < h.entryCount(); i++) {
            GptEntry e = GptEntry.parse(r, (int) (i * h.entrySize()), i + 1);
            if (e.used()) {
                out.add(e);
            }
        }
        return out;
    }
}
