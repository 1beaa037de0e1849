package io.vestige.format.macho;

/**
 * {@code mach_header} / {@code mach_header_64} (loader.h). Offsets: 0 magic, 4 cputype, 8 cpusubtype,
 * 12 filetype, 16 ncmds, 20 sizeofcmds, 24 flags, 28 reserved (64-bit only). The magic says both
 * the word size and the byte order: {@code 0xfeedfacf} read in the file's own order is 64-bit.
 */
public record MachHeader(long magic, boolean is64, boolean littleEndian, int cpuType, int cpuSubtype,
                         long fileType, long nCmds, long sizeOfCmds, long flags) {
    public static final long MH_MAGIC = 0xfeedfaceL;
    public static final long MH_CIGAM = 0xcefaedfeL;
    public static final long MH_MAGIC_64 = 0xfeedfacfL;
    public static final long MH_CIGAM_64 = 0xcffaedfeL;

    /** Header size: 28 bytes (32-bit) or 32 bytes (64-bit). */
    public int size() {
        return is64 ? 32 : 28;
    }

    public String arch() {
        return CpuTypes.archName(cpuType, cpuSubtype);
    }

    /** {@code MH_EXECUTE}, {@code MH_DYLIB} … */
    public String fileTypeName() {
        return switch ((int) fileType) {
            case 1 -> "MH_OBJECT";
            case 2 -> "MH_EXECUTE";
            case 3 -> "MH_FVMLIB";
            case 4 -> "MH_CORE";
            case 5 -> "MH_PRELOAD";
            case 6 -> "MH_DYLIB";
            case 7 -> "MH_DYLINKER";
            case 8 -> "MH_BUNDLE";
            case 9 -> "MH_DYLIB_STUB";
            case 10 -> "MH_DSYM";
            case 11 -> "MH_KEXT_BUNDLE";
            case 12 -> "MH_FILESET";
            default -> "0x" + Long.toHexString(fileType);
        };
    }
}
