package io.vestige.format.macho;

import java.util.List;
import java.util.UUID;

/**
 * One Mach-O load command ({@code struct load_command}: u32 cmd, u32 cmdsize, then the body).
 * The records below model the commands Vestige interprets; every other command is kept as
 * {@link Other}. {@code offset} is relative to the start of the slice. Spec: xnu
 * {@code EXTERNAL_HEADERS/mach-o/loader.h}.
 */
public sealed interface LoadCommand {

    /** The command number including the {@code LC_REQ_DYLD} bit (0x80000000). */
    long cmd();

    long cmdSize();

    /** Offset of the command from the start of its slice. */
    long offset();

    /** The {@code LC_*} name of {@link #cmd()}. */
    default String name() {
        return LoadCommands.name(cmd());
    }

    /** A command Vestige does not interpret further. */
    record Other(long cmd, long cmdSize, long offset) implements LoadCommand {
    }

    /**
     * {@code LC_SEGMENT} / {@code LC_SEGMENT_64}. Offsets (64-bit): 8 segname[16], 24 vmaddr, 32 vmsize,
     * 40 fileoff, 48 filesize, 56 maxprot, 60 initprot, 64 nsects, 68 flags, then 80-byte sections
     * (32-bit: u32 fields, 68-byte sections).
     */
    record Segment(long cmd, long cmdSize, long offset, String segName, long vmAddr, long vmSize, long fileOff,
                   long fileSize, int maxProt, int initProt, long flags, List<Section> sections) implements LoadCommand {
        public Segment {
            sections = List.copyOf(sections);
        }
    }

    /**
     * {@code section} / {@code section_64}: 0 sectname[16], 16 segname[16], 32 addr, 40 size, 48 offset,
     * 52 align, 56 reloff, 60 nreloc, 64 flags (64-bit layout).
     */
    record Section(String sectName, String segName, long addr, long size, long fileOffset, long align,
                   long relOff, long nReloc, long flags) {
    }

    /** {@code LC_LOAD_DYLIB}, {@code LC_ID_DYLIB}, {@code LC_LOAD_WEAK_DYLIB}, {@code LC_REEXPORT_DYLIB} …: 8 name offset, 12 timestamp, 16 current version, 20 compatibility version. */
    record Dylib(long cmd, long cmdSize, long offset, String path, long timestamp, String currentVersion,
                 String compatibilityVersion) implements LoadCommand {
    }

    /** {@code LC_UUID}: 8 uuid[16]. */
    record Uuid(long cmd, long cmdSize, long offset, UUID uuid) implements LoadCommand {
    }

    /** {@code linkedit_data_command} ({@code LC_CODE_SIGNATURE}, {@code LC_FUNCTION_STARTS} …): 8 dataoff, 12 datasize, relative to the slice. */
    record LinkeditData(long cmd, long cmdSize, long offset, long dataOff, long dataSize) implements LoadCommand {
    }

    /** {@code LC_BUILD_VERSION}: 8 platform, 12 minos (X.Y.Z nibbles), 16 sdk, 20 ntools, then {tool, version} pairs. */
    record BuildVersion(long cmd, long cmdSize, long offset, long platform, String platformName, String minOs,
                        String sdk, List<BuildTool> tools) implements LoadCommand {
        public BuildVersion {
            tools = List.copyOf(tools);
        }
    }

    /** One {@code build_tool_version}: 0 tool (1 clang, 2 swift, 3 ld), 4 version. */
    record BuildTool(long tool, String version) {
    }

    /** {@code LC_VERSION_MIN_MACOSX} / {@code _IPHONEOS} / {@code _TVOS} / {@code _WATCHOS}: 8 version, 12 sdk. */
    record VersionMin(long cmd, long cmdSize, long offset, String platformName, String version, String sdk)
            implements LoadCommand {
    }

    /** {@code LC_MAIN}: 8 u64 entryoff (file offset of main), 16 u64 stacksize. */
    record EntryPoint(long cmd, long cmdSize, long offset, long entryOff, long stackSize) implements LoadCommand {
    }

    /** {@code LC_RPATH}, {@code LC_LOAD_DYLINKER}, {@code LC_ID_DYLINKER}: 8 string offset. */
    record PathCommand(long cmd, long cmdSize, long offset, String path) implements LoadCommand {
    }

    /** {@code LC_ENCRYPTION_INFO} / {@code _64}: 8 cryptoff, 12 cryptsize, 16 cryptid (non-zero = encrypted). */
    record EncryptionInfo(long cmd, long cmdSize, long offset, long cryptOff, long cryptSize, long cryptId)
            implements LoadCommand {
    }
}
