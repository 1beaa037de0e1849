package io.vestige.format.macho;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Mach-O file: thin (32/64-bit, either byte order) or universal ({@code 0xcafebabe} /
 * {@code 0xcafebabf}, always big-endian) with every slice parsed down to its load commands.
 * Counts and sizes from the file are checked against the bytes present and {@link ParseLimits}.
 * Spec: xnu {@code EXTERNAL_HEADERS/mach-o/loader.h}, {@code fat.h}.
 */
public final class MachOFile {
    public static final long FAT_MAGIC = 0xcafebabeL;
    public static final long FAT_MAGIC_64 = 0xcafebabfL;
    /**
     * {@code 0xcafebabe} also starts every Java class file, where the next u32 holds
     * minor_version (u16) and major_version (u16); Java 1.1's major is 45, so a class file reads as
     * nfat_arch >= 45 (in practice 0x0000_002d and up). Real universal binaries hold a handful of
     * slices, so anything at or above this is not a fat header.
     */
    static final long CLASS_FILE_MIN_MAJOR = 45;

    private final ByteSource source;
    private final long fatMagic;
    private final List<FatArch> fatArchs;
    private final List<MachOSlice> slices;

    private MachOFile(ByteSource source, long fatMagic, List<FatArch> fatArchs, List<MachOSlice> slices) {
        this.source = source;
        this.fatMagic = fatMagic;
        this.fatArchs = List.copyOf(fatArchs);
        this.slices = List.copyOf(slices);
    }

    /** True when the first bytes are a thin Mach-O magic (either order) or a plausible fat header. */
    public static boolean probe(byte[] head) {
        if (head.length < 8) {
            return false;
        }
        long be = StructReaders.u32be(head, 0);
        if (be == MachHeader.MH_MAGIC || be == MachHeader.MH_CIGAM || be == MachHeader.MH_MAGIC_64
                || be == MachHeader.MH_CIGAM_64) {
            return true;
        }
        if (be == FAT_MAGIC || be == FAT_MAGIC_64) {
            long n = StructReaders.u32be(head, 4);
            return n > 0 && n < CLASS_FILE_MIN_MAJOR;
        }
        return false;
    }

    public static MachOFile parse(ByteSource src) throws IOException {
        return parse(src, ParseLimits.defaults());
    }

    public static MachOFile parse(ByteSource src, ParseLimits limits) throws IOException {
        if (src.size() < 8) {
            throw new TruncatedException("Mach-O header", 0, 8, src.size());
        }
        byte[] head = src.readBytes(0, 8);
        long magic = StructReaders.u32be(head, 0);
        if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
            return parseFat(src, magic, limits);
        }
        MachOSlice s = parseSlice(src, 0, limits);
        return new MachOFile(src, 0, List.of(), List.of(s));
    }

    private static MachOFile parseFat(ByteSource src, long magic, ParseLimits limits) throws IOException {
        long n = StructReaders.u32be(src.readBytes(0, 8), 4);
        if (n >= CLASS_FILE_MIN_MAJOR) {
            throw new BadMagicException("Mach-O fat_header", 0, "fat header with a few slices",
                    "nfat_arch " + n + " (0xcafebabe with a class-file version: a Java class file, not Mach-O)");
        }
        if (n == 0) {
            throw new MalformedException("Mach-O fat_header", 4, "nfat_arch is 0");
        }
        int entSize = magic == FAT_MAGIC_64 ? 32 : 20;
        long tableEnd = 8 + n * entSize;
        if (tableEnd > src.size()) {
            throw new TruncatedException("Mach-O fat_arch table", 8, tableEnd - 8, src.size() - 8);
        }
        StructReader r = StructReader.be(src.readBytes(8, (int) (n * entSize)), 8, "Mach-O fat_arch");
        List<FatArch> archs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int o = i * entSize;
            int cpu = r.s32(o);
            int sub = r.s32(o + 4);
            long off;
            long size;
            long align;
            if (entSize == 32) {
                off = r.u64(o + 8);
                size = r.u64(o + 16);
                align = r.u32(o + 24);
            } else {
                off = r.u32(o + 8);
                size = r.u32(o + 12);
                align = r.u32(o + 16);
            }
            if (off < tableEnd || size < 0 || off < 0 || Long.compareUnsigned(size, src.size()) > 0
                    || off > src.size() - size) {
                throw new MalformedException("Mach-O fat_arch #" + i, r.at(o), "slice [" + Long.toUnsignedString(off)
                        + ", +" + Long.toUnsignedString(size) + ") lies outside the file of " + src.size()
                        + " bytes or over the fat header");
            }
            archs.add(new FatArch(cpu, sub, off, size, align));
        }
        List<FatArch> sorted = new ArrayList<>(archs);
        sorted.sort(Comparator.comparingLong(FatArch::offset));
        for (int i = 1; i < sorted.size(); i++) {
            FatArch a = sorted.get(i - 1);
            FatArch b = sorted.get(i);
            if (a.offset() + a.size() > b.offset()) {
                throw new MalformedException("Mach-O fat_arch", 8, "slices overlap: " + a.arch() + " ["
                        + a.offset() + ", +" + a.size() + ") and " + b.arch() + " [" + b.offset() + ", +" + b.size() + ")");
            }
        }
        List<MachOSlice> slices = new ArrayList<>();
        for (FatArch a : archs) {
            MachOSlice s = parseSlice(src.slice(a.offset(), a.size()), a.offset(), limits);
            slices.add(s);
        }
        return new MachOFile(src, magic, archs, slices);
    }

    /** Parses one thin image whose bytes are {@code src}; {@code fileOffset} is only for messages. */
    public static MachOSlice parseSlice(ByteSource src, long fileOffset, ParseLimits limits) throws IOException {
        String where = "Mach-O header";
        if (src.size() < 28) {
            throw new TruncatedException(where, fileOffset, 28, src.size());
        }
        byte[] h = src.readBytes(0, (int) Math.min(32, src.size()));
        long be = StructReaders.u32be(h, 0);
        boolean is64;
        boolean le;
        if (be == MachHeader.MH_MAGIC) {
            is64 = false;
            le = false;
        } else if (be == MachHeader.MH_CIGAM) {
            is64 = false;
            le = true;
        } else if (be == MachHeader.MH_MAGIC_64) {
            is64 = true;
            le = false;
        } else if (be == MachHeader.MH_CIGAM_64) {
            is64 = true;
            le = true;
        } else {
            throw new BadMagicException(where, fileOffset, "0xfeedface/0xfeedfacf (either byte order)",
                    String.format("0x%08x", be));
        }
        StructReader r = new StructReader(h, fileOffset, where, le);
        int hsize = is64 ? 32 : 28;
        if (src.size() < hsize) {
            throw new TruncatedException(where, fileOffset, hsize, src.size());
        }
        MachHeader header = new MachHeader(r.u32(0), is64, le, r.s32(4), r.s32(8), r.u32(12), r.u32(16), r.u32(20),
                r.u32(24));
        long ncmds = header.nCmds();
        long sizeofcmds = header.sizeOfCmds();
        if (sizeofcmds > src.size() - hsize) {
            throw new TruncatedException("Mach-O load commands", fileOffset + hsize, sizeofcmds, src.size() - hsize);
        }
        limits.check("maxTableEntries", ncmds, "Mach-O ncmds", fileOffset + 16);
        if (ncmds * 8 > sizeofcmds) {
            throw new MalformedException("Mach-O header", fileOffset + 16, "ncmds " + ncmds
                    + " cannot fit in sizeofcmds " + sizeofcmds + " (8 bytes at least each)");
        }
        limits.check("maxMetadataSize", sizeofcmds, "Mach-O sizeofcmds", fileOffset + 20);
        byte[] cmds = src.readBytes(hsize, (int) sizeofcmds);
        StructReader c = new StructReader(cmds, fileOffset + hsize, "Mach-O load command", le);
        List<LoadCommand> list = new ArrayList<>((int) ncmds);
        int pos = 0;
        for (long i = 0; i < ncmds; i++) {
            if (pos + 8 > cmds.length) {
                throw new TruncatedException("Mach-O load command #" + i, c.at(pos), 8, cmds.length - pos);
            }
            long cmd = c.u32(pos);
            long cmdsize = c.u32(pos + 4);
            if (cmdsize < 8 || cmdsize > cmds.length - pos || cmdsize % 4 != 0) {
                throw new MalformedException("Mach-O load command #" + i + " " + LoadCommands.name(cmd), c.at(pos),
                        "cmdsize " + cmdsize + " (must be >= 8, a multiple of 4 and within sizeofcmds; "
                                + (cmds.length - pos) + " bytes remain)");
            }
            StructReader lc = new StructReader(java.util.Arrays.copyOfRange(cmds, pos, pos + (int) cmdsize),
                    c.at(pos), "Mach-O " + LoadCommands.name(cmd), le);
            list.add(command(lc, cmd, cmdsize, hsize + pos, is64, src.size(), limits));
            pos += (int) cmdsize;
        }
        return new MachOSlice(src, fileOffset, header, list);
    }

    private static LoadCommand command(StructReader r, long cmd, long size, long off, boolean is64, long sliceSize,
                                       ParseLimits limits) throws ParseException {
        if (cmd == LoadCommands.LC_SEGMENT_64 || cmd == LoadCommands.LC_SEGMENT) {
            return segment(r, cmd, size, off, cmd == LoadCommands.LC_SEGMENT_64, limits);
        }
        if (cmd == LoadCommands.LC_UUID) {
            return new LoadCommand.Uuid(cmd, size, off, r.uuidBE(8));
        }
        if (cmd == LoadCommands.LC_CODE_SIGNATURE || cmd == LoadCommands.LC_FUNCTION_STARTS
                || cmd == LoadCommands.LC_DATA_IN_CODE || cmd == LoadCommands.LC_SEGMENT_SPLIT_INFO
                || cmd == LoadCommands.LC_DYLIB_CODE_SIGN_DRS || cmd == LoadCommands.LC_LINKER_OPTIMIZATION_HINT
                || cmd == LoadCommands.LC_DYLD_EXPORTS_TRIE || cmd == LoadCommands.LC_DYLD_CHAINED_FIXUPS) {
            return new LoadCommand.LinkeditData(cmd, size, off, r.u32(8), r.u32(12));
        }
        if (cmd == LoadCommands.LC_LOAD_DYLIB || cmd == LoadCommands.LC_ID_DYLIB
                || cmd == LoadCommands.LC_LOAD_WEAK_DYLIB || cmd == LoadCommands.LC_REEXPORT_DYLIB
                || cmd == LoadCommands.LC_LAZY_LOAD_DYLIB || cmd == LoadCommands.LC_LOAD_UPWARD_DYLIB) {
            return new LoadCommand.Dylib(cmd, size, off, lcString(r, 8), r.u32(12),
                    LoadCommands.dylibVersion(r.u32(16)), LoadCommands.dylibVersion(r.u32(20)));
        }
        if (cmd == LoadCommands.LC_RPATH || cmd == LoadCommands.LC_LOAD_DYLINKER
                || cmd == LoadCommands.LC_ID_DYLINKER || cmd == LoadCommands.LC_DYLD_ENVIRONMENT) {
            return new LoadCommand.PathCommand(cmd, size, off, lcString(r, 8));
        }
        if (cmd == LoadCommands.LC_BUILD_VERSION) {
            long ntools = r.u32(20);
            if (ntools > (r.length() - 24) / 8) {
                throw new MalformedException(r.structure(), r.at(20), "ntools " + ntools + " does not fit in cmdsize "
                        + size);
            }
            List<LoadCommand.BuildTool> tools = new ArrayList<>();
            for (int i = 0; i < ntools; i++) {
                tools.add(new LoadCommand.BuildTool(r.u32(24 + 8 * i), LoadCommands.version(r.u32(28 + 8 * i))));
            }
            long platform = r.u32(8);
            return new LoadCommand.BuildVersion(cmd, size, off, platform, LoadCommands.platformName(platform),
                    LoadCommands.version(r.u32(12)), LoadCommands.version(r.u32(16)), tools);
        }
        if (cmd == LoadCommands.LC_VERSION_MIN_MACOSX || cmd == LoadCommands.LC_VERSION_MIN_IPHONEOS
                || cmd == LoadCommands.LC_VERSION_MIN_TVOS || cmd == LoadCommands.LC_VERSION_MIN_WATCHOS) {
            String p = cmd == LoadCommands.LC_VERSION_MIN_MACOSX ? "macos"
                    : cmd == LoadCommands.LC_VERSION_MIN_IPHONEOS ? "ios"
                    : cmd == LoadCommands.LC_VERSION_MIN_TVOS ? "tvos" : "watchos";
            return new LoadCommand.VersionMin(cmd, size, off, p, LoadCommands.version(r.u32(8)),
                    LoadCommands.version(r.u32(12)));
        }
        if (cmd == LoadCommands.LC_MAIN) {
            return new LoadCommand.EntryPoint(cmd, size, off, r.u64(8), r.u64(16));
        }
        if (cmd == LoadCommands.LC_ENCRYPTION_INFO || cmd == LoadCommands.LC_ENCRYPTION_INFO_64) {
            return new LoadCommand.EncryptionInfo(cmd, size, off, r.u32(8), r.u32(12), r.u32(16));
        }
        return new LoadCommand.Other(cmd, size, off);
    }

    private static LoadCommand.Segment segment(StructReader r, long cmd, long size, long off, boolean is64,
                                               ParseLimits limits) throws ParseException {
        String name = r.cstring(8, 16);
        long vmaddr;
        long vmsize;
        long fileoff;
        long filesize;
        int maxprot;
        int initprot;
        long nsects;
        long flags;
        int base;
        int sectSize;
        if (is64) {
            vmaddr = r.u64(24);
            vmsize = r.u64(32);
            fileoff = r.u64(40);
            filesize = r.u64(48);
            maxprot = r.s32(56);
            initprot = r.s32(60);
            nsects = r.u32(64);
            flags = r.u32(68);
            base = 72;
            sectSize = 80;
        } else {
            vmaddr = r.u32(24);
            vmsize = r.u32(28);
            fileoff = r.u32(32);
            filesize = r.u32(36);
            maxprot = r.s32(40);
            initprot = r.s32(44);
            nsects = r.u32(48);
            flags = r.u32(52);
            base = 56;
            sectSize = 68;
        }
        if (nsects > (r.length() - base) / sectSize) {
            throw new MalformedException(r.structure() + " " + name, r.at(is64 ? 64 : 48), "nsects " + nsects
                    + " does not fit in cmdsize " + size);
        }
        limits.check("maxTableEntries", nsects, r.structure(), r.at(is64 ? 64 : 48));
        List<LoadCommand.Section> sects = new ArrayList<>();
        for (int i = 0; i < nsects; i++) {
            int o = base + i * sectSize;
            if (is64) {
                sects.add(new LoadCommand.Section(r.cstring(o, 16), r.cstring(o + 16, 16), r.u64(o + 32), r.u64(o + 40),
                        r.u32(o + 48), r.u32(o + 52), r.u32(o + 56), r.u32(o + 60), r.u32(o + 64)));
            } else {
                sects.add(new LoadCommand.Section(r.cstring(o, 16), r.cstring(o + 16, 16), r.u32(o + 32), r.u32(o + 36),
                        r.u32(o + 40), r.u32(o + 44), r.u32(o + 48), r.u32(o + 52), r.u32(o + 56)));
            }
        }
        return new LoadCommand.Segment(cmd, size, off, name, vmaddr, vmsize, fileoff, filesize, maxprot, initprot, flags,
                sects);
    }

    /** An {@code lc_str}: u32 offset from the command start to a NUL-terminated string inside the command. */
    private static String lcString(StructReader r, int at) throws ParseException {
        long o = r.u32(at);
        if (o < 8 || o >= r.length()) {
            throw new MalformedException(r.structure(), r.at(at), "string offset " + o + " outside the command of "
                    + r.length() + " bytes");
        }
        int start = (int) o;
        int end = start;
        byte[] b = r.array();
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    public ByteSource source() {
        return source;
    }

    public boolean isFat() {
        return fatMagic != 0;
    }

    /** {@code 0xcafebabe}, {@code 0xcafebabf}, or 0 for a thin file. */
    public long fatMagic() {
        return fatMagic;
    }

    public List<FatArch> fatArchs() {
        return fatArchs;
    }

    public List<MachOSlice> slices() {
        return slices;
    }

}
