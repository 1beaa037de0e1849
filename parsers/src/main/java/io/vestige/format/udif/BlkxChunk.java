package io.vestige.format.udif;

/**
 * One 40-byte chunk entry of a {@code mish} block table (BE). Reference: FORMATS.md §2.2;
 * apfs-fuse {@code DeviceDMG.cpp} (static_assert 0x28).
 *
 * <pre>
 *  0 u32 type      4 u32 comment    8 u64 sector number (relative to the table's first sector)
 * 16 u64 sector count              24 u64 compressed offset    32 u64 compressed length
 * </pre>
 */
public record BlkxChunk(long type, long comment, long sectorNumber, long sectorCount, long compressedOffset,
                        long compressedLength) {
    public static final int SIZE = 40;

    public static final long ZERO = 0x00000000L;
    public static final long RAW = 0x00000001L;
    public static final long IGNORE = 0x00000002L;
    public static final long COMMENT = 0x7ffffffeL;
    public static final long ADC = 0x80000004L;
    public static final long ZLIB = 0x80000005L;
    public static final long BZIP2 = 0x80000006L;
    public static final long LZFSE = 0x80000007L;
    public static final long LZMA = 0x80000008L;
    public static final long TERMINATOR = 0xffffffffL;

    /** Display name of a chunk type. */
    public static String typeName(long type) {
        if (type == ZERO) {
            return "zero";
        } else if (type == RAW) {
            return "raw";
        } else if (type == IGNORE) {
            return "ignore";
        } else if (type == COMMENT) {
            return "comment";
        } else if (type == ADC) {
            return "adc";
        } else if (type == ZLIB) {
            return "zlib";
        } else if (type == BZIP2) {
            return "bzip2";
        } else if (type == LZFSE) {
            return "lzfse";
        } else if (type == LZMA) {
            return "lzma";
        } else if (type == TERMINATOR) {
            return "terminator";
        }
        return "0x" + Long.toHexString(type);
    }

    public static boolean isCompressed(long type) {
        return type == ADC || type == ZLIB || type == BZIP2 || type == LZFSE || type == LZMA;
    }
}
