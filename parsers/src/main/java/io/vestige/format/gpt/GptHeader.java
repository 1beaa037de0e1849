package io.vestige.format.gpt;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.UUID;

/**
 * GPT header (92 bytes used, little-endian), per UEFI chapter 5 as restated in libyal libvsgpt
 * "GUID Partition Table (GPT) format".
 *
 * <pre>
 * 0  8  "EFI PART"          40 8  first usable LBA     80 4  entry count
 * 8  4  revision            48 8  last usable LBA      84 4  entry size
 * 12 4  header size         56 16 disk GUID            88 4  CRC-32 of the entry array
 * 16 4  CRC-32 of header    72 8  entries start LBA
 * 24 8  this header's LBA
 * 32 8  the other header's LBA
 * </pre>
 */
public record GptHeader(long revision, long headerSize, long headerCrc, long myLba, long alternateLba,
                        long firstUsableLba, long lastUsableLba, UUID diskGuid, long entriesLba, long entryCount,
                        long entrySize, long entriesCrc) {

    static GptHeader parse(StructReader r) throws TruncatedException {
        return new GptHeader(r.u32(8), r.u32(12), r.u32(16), r.u64(24), r.u64(32), r.u64(40), r.u64(48),
                r.guidMixed(56), r.u64(72), r.u32(80), r.u32(84), r.u32(88));
    }
}
