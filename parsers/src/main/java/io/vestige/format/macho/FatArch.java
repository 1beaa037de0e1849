package io.vestige.format.macho;

/**
 * One slice entry of a universal (fat) header, {@code fat_arch} (20 bytes: 0 cputype, 4 cpusubtype,
 * 8 u32 offset, 12 u32 size, 16 align log2) or {@code fat_arch_64} (32 bytes: u64 offset and size,
 * 24 align, 28 reserved). Always big-endian (fat.h).
 */
public record FatArch(int cpuType, int cpuSubtype, long offset, long size, long align) {
    public String arch() {
        return CpuTypes.archName(cpuType, cpuSubtype);
    }
}
