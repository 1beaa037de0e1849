package io.vestige.format.apfs;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Finds Apple_APFS partitions ({@code 7C3457EF-0000-11AA-AA11-00306543ECAC}) in a GUID partition
 * table so that a whole-disk image can be opened directly (UEFI spec ch. 5: header at LBA 1 with
 * {@code EFI PART}, entry array at {@code PartitionEntryLBA}). The full GPT reader lives in the gpt
 * package; this is only a locator, checked by the header CRC.
 */
final class GptLocator {
    /** The APFS type GUID as stored on disk (mixed endian). */
    private static final byte[] APFS_TYPE = {(byte) 0xEF, 0x57, 0x34, 0x7C, 0x00, 0x00, (byte) 0xAA, 0x11,
        (byte) 0xAA, 0x11, 0x00, 0x30, 0x65, 0x43, (byte) 0xEC, (byte) 0xAC};

    private GptLocator() {
    }

    /** Byte ranges {offset, length} of the APFS partitions, in table order; empty when there is no valid GPT. */
    static List<long[]> apfsPartitions(ByteSource src) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (int sector : new int[] {512, 4096}) {
            if (src.size() < 2L * sector) {
                continue;
            }
            byte[] h = src.readBytes(sector, 92);
            if (!"EFI PART".equals(new String(h, 0, 8, java.nio.charset.StandardCharsets.US_ASCII))) {
                continue;
            }
            long headerSize = le(h, 12, 4);
            if (headerSize < 92 || headerSize > sector) {
                continue;
            }
            byte[] full = src.readBytes(sector, (int) headerSize);
            long stored = le(full, 16, 4);
            full[16] = full[17] = full[18] = full[19] = 0;
            CRC32 crc = new CRC32();
            crc.update(full, 0, full.length);
            if (crc.getValue() != stored) {
                continue;
            }
            long entryLba = le(h, 72, 8);
            long count = le(h, 80, 4);
            long esize = le(h, 84, 4);
            if (esize < 128 || esize > 4096 || count > 4096 || entryLba <= 0) {
                continue;
            }
            for (long i = 0; i < count; i++) {
                long off = entryLba * sector + i * esize;
                if (off + 48 > src.size()) {
                    break;
                }
                byte[] e = src.readBytes(off, 48);
                if (!java.util.Arrays.equals(e, 0, 16, APFS_TYPE, 0, 16)) {
                    continue;
                }
                long first = le(e, 32, 8);
                long last = le(e, 40, 8);
                if (first <= 0 || last < first || last > Long.MAX_VALUE / sector - 1) {
                    continue;
                }
                long start = first * sector;
                long len = (last - first + 1) * sector;
                if (start < src.size()) {
                    out.add(new long[] {start, Math.min(len, src.size() - start)});
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return out;
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }
}
