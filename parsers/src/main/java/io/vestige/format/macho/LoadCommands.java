package io.vestige.format.macho;

import java.util.Map;
import java.util.TreeMap;

/** Load command numbers and names from {@code mach-o/loader.h}. */
public final class LoadCommands {
    private LoadCommands() {
    }

    public static final long LC_REQ_DYLD = 0x80000000L;
    public static final long LC_SEGMENT = 0x1;
    public static final long LC_SYMTAB = 0x2;
    public static final long LC_UNIXTHREAD = 0x5;
    public static final long LC_DYSYMTAB = 0xb;
    public static final long LC_LOAD_DYLIB = 0xc;
    public static final long LC_ID_DYLIB = 0xd;
    public static final long LC_LOAD_DYLINKER = 0xe;
    public static final long LC_ID_DYLINKER = 0xf;
    public static final long LC_LOAD_WEAK_DYLIB = 0x18 | LC_REQ_DYLD;
    public static final long LC_SEGMENT_64 = 0x19;
    public static final long LC_UUID = 0x1b;
    public static final long LC_RPATH = 0x1c | LC_REQ_DYLD;
    public static final long LC_CODE_SIGNATURE = 0x1d;
    public static final long LC_SEGMENT_SPLIT_INFO = 0x1e;
    public static final long LC_REEXPORT_DYLIB = 0x1f | LC_REQ_DYLD;
    public static final long LC_LAZY_LOAD_DYLIB = 0x20;
    public static final long LC_ENCRYPTION_INFO = 0x21;
    public static final long LC_DYLD_INFO = 0x22;
    public static final long LC_DYLD_INFO_ONLY = 0x22 | LC_REQ_DYLD;
    public static final long LC_LOAD_UPWARD_DYLIB = 0x23 | LC_REQ_DYLD;
    public static final long LC_VERSION_MIN_MACOSX = 0x24;
    public static final long LC_VERSION_MIN_IPHONEOS = 0x25;
    public static final long LC_FUNCTION_STARTS = 0x26;
    public static final long LC_DYLD_ENVIRONMENT = 0x27;
    public static final long LC_MAIN = 0x28 | LC_REQ_DYLD;
    public static final long LC_DATA_IN_CODE = 0x29;
    public static final long LC_SOURCE_VERSION = 0x2a;
    public static final long LC_DYLIB_CODE_SIGN_DRS = 0x2b;
    public static final long LC_ENCRYPTION_INFO_64 = 0x2c;
    public static final long LC_LINKER_OPTION = 0x2d;
    public static final long LC_LINKER_OPTIMIZATION_HINT = 0x2e;
    public static final long LC_VERSION_MIN_TVOS = 0x2f;
    public static final long LC_VERSION_MIN_WATCHOS = 0x30;
    public static final long LC_NOTE = 0x31;
    public static final long LC_BUILD_VERSION = 0x32;
    public static final long LC_DYLD_EXPORTS_TRIE = 0x33 | LC_REQ_DYLD;
    public static final long LC_DYLD_CHAINED_FIXUPS = 0x34 | LC_REQ_DYLD;
    public static final long LC_FILESET_ENTRY = 0x35 | LC_REQ_DYLD;

    private static final Map<Long, String> NAMES = new TreeMap<>();

    static {
        NAMES.put(LC_SEGMENT, "LC_SEGMENT");
        NAMES.put(LC_SYMTAB, "LC_SYMTAB");
        NAMES.put(LC_UNIXTHREAD, "LC_UNIXTHREAD");
        NAMES.put(LC_DYSYMTAB, "LC_DYSYMTAB");
        NAMES.put(LC_LOAD_DYLIB, "LC_LOAD_DYLIB");
        NAMES.put(LC_ID_DYLIB, "LC_ID_DYLIB");
        NAMES.put(LC_LOAD_DYLINKER, "LC_LOAD_DYLINKER");
        NAMES.put(LC_ID_DYLINKER, "LC_ID_DYLINKER");
        NAMES.put(LC_LOAD_WEAK_DYLIB, "LC_LOAD_WEAK_DYLIB");
        NAMES.put(LC_SEGMENT_64, "LC_SEGMENT_64");
        NAMES.put(LC_UUID, "LC_UUID");
        NAMES.put(LC_RPATH, "LC_RPATH");
        NAMES.put(LC_CODE_SIGNATURE, "LC_CODE_SIGNATURE");
        NAMES.put(LC_SEGMENT_SPLIT_INFO, "LC_SEGMENT_SPLIT_INFO");
        NAMES.put(LC_REEXPORT_DYLIB, "LC_REEXPORT_DYLIB");
        NAMES.put(LC_LAZY_LOAD_DYLIB, "LC_LAZY_LOAD_DYLIB");
        NAMES.put(LC_ENCRYPTION_INFO, "LC_ENCRYPTION_INFO");
        NAMES.put(LC_DYLD_INFO, "LC_DYLD_INFO");
        NAMES.put(LC_DYLD_INFO_ONLY, "LC_DYLD_INFO_ONLY");
        NAMES.put(LC_LOAD_UPWARD_DYLIB, "LC_LOAD_UPWARD_DYLIB");
        NAMES.put(LC_VERSION_MIN_MACOSX, "LC_VERSION_MIN_MACOSX");
        NAMES.put(LC_VERSION_MIN_IPHONEOS, "LC_VERSION_MIN_IPHONEOS");
        NAMES.put(LC_FUNCTION_STARTS, "LC_FUNCTION_STARTS");
        NAMES.put(LC_DYLD_ENVIRONMENT, "LC_DYLD_ENVIRONMENT");
        NAMES.put(LC_MAIN, "LC_MAIN");
        NAMES.put(LC_DATA_IN_CODE, "LC_DATA_IN_CODE");
        NAMES.put(LC_SOURCE_VERSION, "LC_SOURCE_VERSION");
        NAMES.put(LC_DYLIB_CODE_SIGN_DRS, "LC_DYLIB_CODE_SIGN_DRS");
        NAMES.put(LC_ENCRYPTION_INFO_64, "LC_ENCRYPTION_INFO_64");
        NAMES.put(LC_LINKER_OPTION, "LC_LINKER_OPTION");
        NAMES.put(LC_LINKER_OPTIMIZATION_HINT, "LC_LINKER_OPTIMIZATION_HINT");
        NAMES.put(LC_VERSION_MIN_TVOS, "LC_VERSION_MIN_TVOS");
        NAMES.put(LC_VERSION_MIN_WATCHOS, "LC_VERSION_MIN_WATCHOS");
        NAMES.put(LC_NOTE, "LC_NOTE");
        NAMES.put(LC_BUILD_VERSION, "LC_BUILD_VERSION");
        NAMES.put(LC_DYLD_EXPORTS_TRIE, "LC_DYLD_EXPORTS_TRIE");
        NAMES.put(LC_DYLD_CHAINED_FIXUPS, "LC_DYLD_CHAINED_FIXUPS");
        NAMES.put(LC_FILESET_ENTRY, "LC_FILESET_ENTRY");
    }

    /** {@code LC_*} name, or {@code 0x…} for an unknown number. */
    public static String name(long cmd) {
        String n = NAMES.get(cmd);
        return n != null ? n : "0x" + Long.toHexString(cmd);
    }

    /** Platform names of {@code LC_BUILD_VERSION} ({@code PLATFORM_*}). */
    public static String platformName(long platform) {
        return switch ((int) platform) {
            case 1 -> "macos";
            case 2 -> "ios";
            case 3 -> "tvos";
            case 4 -> "watchos";
            case 5 -> "bridgeos";
            case 6 -> "maccatalyst";
            case 7 -> "iossimulator";
            case 8 -> "tvossimulator";
            case 9 -> "watchossimulator";
            case 10 -> "driverkit";
            case 11 -> "visionos";
            case 12 -> "visionossimulator";
            default -> "platform-" + platform;
        };
    }

    /** Renders an X.Y.Z version packed as xxxx.yy.zz nibbles. */
    public static String version(long v) {
        long x = (v >>> 16) & 0xffff;
        long y = (v >>> 8) & 0xff;
        long z = v & 0xff;
        return z == 0 ? x + "." + y : x + "." + y + "." + z;
    }

    /** Renders a dylib version packed as xxxx.yy.zz. */
    static String dylibVersion(long v) {
        return ((v >>> 16) & 0xffff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
}
