package io.vestige.format.macho;

/** CPU type names as {@code lipo} and {@code otool} print them ({@code mach/machine.h}). */
public final class CpuTypes {
    private CpuTypes() {
    }

    public static final int CPU_ARCH_ABI64 = 0x01000000;
    public static final int CPU_ARCH_ABI64_32 = 0x02000000;
    public static final int CPU_TYPE_X86 = 7;
    public static final int CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
    public static final int CPU_TYPE_ARM = 12;
    public static final int CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
    public static final int CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
    public static final int CPU_TYPE_POWERPC = 18;
    public static final int CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

    /** {@code x86_64}, {@code arm64}, {@code arm64e}, {@code i386} …; unknown types as {@code cpu-0x…}. */
    public static String archName(int cpuType, int cpuSubtype) {
        int sub = cpuSubtype & 0x00ffffff; // high byte holds capability bits (CPU_SUBTYPE_LIB64, PAC ABI)
        return switch (cpuType) {
            case CPU_TYPE_X86 -> "i386";
            case CPU_TYPE_X86_64 -> sub == 8 ? "x86_64h" : "x86_64";
            case CPU_TYPE_ARM64 -> sub == 2 ? "arm64e" : "arm64";
            case CPU_TYPE_ARM64_32 -> "arm64_32";
            case CPU_TYPE_ARM -> switch (sub) {
                case 9 -> "armv7";
                case 11 -> "armv7s";
                case 12 -> "armv7k";
                case 6 -> "armv6";
                default -> "arm";
            };
            case CPU_TYPE_POWERPC -> "ppc";
            case CPU_TYPE_POWERPC64 -> "ppc64";
            default -> "cpu-0x" + Integer.toHexString(cpuType);
        };
    }
}
