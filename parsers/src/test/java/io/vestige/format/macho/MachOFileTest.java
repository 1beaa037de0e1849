package io.vestige.format.macho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.macho.CodeSigner;
import io.vestige.fixtures.macho.MachOBuilder;
import io.vestige.fixtures.macho.MachOScenarios;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import io.vestige.testing.Corpus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Mach-O headers and load commands: good bytes from the fixtures builder, truncated, bad magic, huge counts. */
class MachOFileTest {

    static MachOFile parse(byte[] b) throws Exception {
        return MachOFile.parse(ByteSources.wrap(b));
    }

    @Test
    void thinArm64LoadCommands() throws Exception {
        UUID u = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        byte[] img = MachOBuilder.arm64().uuid(u).text(new byte[300]).buildVersion(0x000c0300, 0x000e0200).build();
        MachOFile f = parse(img);
        assertFalse(f.isFat());
        MachOSlice s = f.slices().get(0);
        assertEquals("arm64", s.arch());
        assertTrue(s.header().is64());
        assertTrue(s.header().littleEndian());
        assertEquals("MH_EXECUTE", s.header().fileTypeName());
        assertEquals(u, s.uuid().orElseThrow());
        assertEquals(List.of("__PAGEZERO", "__TEXT", "__LINKEDIT"), s.segments().stream().map(LoadCommand.Segment::segName).toList());
        LoadCommand.Section text = s.segment("__TEXT").orElseThrow().sections().get(0);
        assertEquals("__text", text.sectName());
        assertEquals(300, text.size());
        assertEquals(MachOBuilder.arm64().textOffset(), text.fileOffset());
        assertEquals(List.of("/usr/lib/libSystem.B.dylib"), s.dylibs().stream().map(LoadCommand.Dylib::path).toList());
        assertEquals("12.3", s.buildVersion().orElseThrow().minOs());
        assertEquals("14.2", s.buildVersion().orElseThrow().sdk());
        assertEquals("macos", s.buildVersion().orElseThrow().platformName());
        assertEquals(text.fileOffset(), s.main().orElseThrow().entryOff());
        LoadCommand.LinkeditData cs = s.codeSignature().orElseThrow();
        assertEquals(s.segment("__LINKEDIT").orElseThrow().fileOff(), cs.dataOff());
        assertEquals("LC_CODE_SIGNATURE", cs.name());
    }

    @Test
    void fatWithTwoSlices() throws Exception {
        MachOFile f = parse(MachOScenarios.executable());
        assertTrue(f.isFat());
        assertEquals(MachOFile.FAT_MAGIC, f.fatMagic());
        assertEquals(List.of("x86_64", "arm64"), f.slices().stream().map(MachOSlice::arch).toList());
        assertEquals(16384, f.slices().get(0).fileOffset());
        assertEquals(14, f.fatArchs().get(0).align());
    }

    @Test
    void bigEndianAndThirtyTwoBitHeaders() throws Exception {
        // a 32-bit big-endian (ppc) header with one LC_UUID, written by hand from loader.h
        ByteBuffer b = ByteBuffer.allocate(28 + 24).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xfeedface).putInt(18).putInt(0).putInt(2).putInt(1).putInt(24).putInt(0);
        b.putInt(0x1b).putInt(24).putLong(0x0102030405060708L).putLong(0x090a0b0c0d0e0f10L);
        MachOSlice s = parse(b.array()).slices().get(0);
        assertEquals("ppc", s.arch());
        assertFalse(s.header().is64());
        assertFalse(s.header().littleEndian());
        assertEquals(UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10"), s.uuid().orElseThrow());
    }

    @Test
    void javaClassFileIsNotFat() {
        byte[] cls = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 0x3d, 0, 0, 0, 0};
        assertFalse(MachOFile.probe(cls));
        ParseException e = assertThrows(BadMagicException.class, () -> parse(cls));
        assertTrue(e.getMessage().contains("Java class file"), e.getMessage());
        assertTrue(MachOFile.probe(Arrays.copyOf(MachOScenarios.executable(), 8)));
    }

    @Test
    void badMagic() {
        assertThrows(BadMagicException.class, () -> parse(new byte[64]));
    }

    @Test
    void truncatedLoadCommands() {
        byte[] img = MachOBuilder.arm64().build();
        assertThrows(TruncatedException.class, () -> parse(Arrays.copyOf(img, 100)));
        assertThrows(TruncatedException.class, () -> parse(Arrays.copyOf(img, 20)));
    }

    @Test
    void hugeNcmdsAndLyingCmdsize() throws Exception {
        byte[] img = MachOBuilder.arm64().build();
        byte[] huge = img.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x7fffffff);
        assertThrows(ParseException.class, () -> parse(huge));
        assertThrows(LimitExceededException.class, () -> MachOFile.parse(ByteSources.wrap(huge),
                ParseLimits.defaults().with("maxTableEntries", 4)));
        byte[] zero = img.clone();
        ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 4, 0); // first cmdsize = 0 would loop forever
        assertThrows(MalformedException.class, () -> parse(zero));
        byte[] nsects = img.clone();
        ByteBuffer.wrap(nsects).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 72 + 64, 1_000_000); // __TEXT nsects
        assertThrows(MalformedException.class, () -> parse(nsects));
        byte[] sizeofcmds = img.clone();
        ByteBuffer.wrap(sizeofcmds).order(ByteOrder.LITTLE_ENDIAN).putInt(20, -16);
        assertThrows(TruncatedException.class, () -> parse(sizeofcmds));
    }

    @Test
    void fatSlicesOutsideTheFileOrOverlapping() {
        byte[] fat = MachOScenarios.executable();
        byte[] out = fat.clone();
        ByteBuffer.wrap(out).putInt(8 + 12, Integer.MAX_VALUE); // size of slice 0
        assertThrows(MalformedException.class, () -> parse(out));
        byte[] overlap = fat.clone();
        ByteBuffer.wrap(overlap).putInt(8 + 20 + 8, 16384 + 64); // slice 1 starts inside slice 0
        assertThrows(MalformedException.class, () -> parse(overlap));
        byte[] many = fat.clone();
        ByteBuffer.wrap(many).putInt(4, 40); // 40 × 20 bytes of table over slice data: arch entries are garbage
        assertThrows(ParseException.class, () -> parse(many));
    }

    @Test
    void signedFixtureStillParses() throws Exception {
        byte[] signed = CodeSigner.sign(MachOBuilder.x86_64().build(), CodeSigner.Options.adhoc("x")).bytes();
        assertEquals("x86_64", parse(signed).slices().get(0).arch());
    }

    @Test
    void fat64Header() throws Exception {
        // rewrite the fixture's fat_arch table as fat_arch_64 (0xcafebabf, u64 offset/size), per fat.h
        byte[] fat = MachOScenarios.executable();
        List<long[]> slices = MachOBuilder.fatSlices(fat);
        byte[] f64 = fat.clone();
        ByteBuffer b = ByteBuffer.wrap(f64);
        ByteBuffer old = ByteBuffer.wrap(fat);
        b.putInt(0, 0xcafebabf);
        for (int i = 0; i < 2; i++) {
            int o = 8 + 32 * i;
            b.putInt(o, old.getInt(8 + 20 * i)).putInt(o + 4, old.getInt(8 + 20 * i + 4)).putLong(o + 8, slices.get(i)[0])
                    .putLong(o + 16, slices.get(i)[1]).putInt(o + 24, 14).putInt(o + 28, 0);
        }
        MachOFile f = parse(f64);
        assertEquals(MachOFile.FAT_MAGIC_64, f.fatMagic());
        assertEquals(List.of("x86_64", "arm64"), f.slices().stream().map(MachOSlice::arch).toList());
        assertEquals(slices.get(1)[0], f.slices().get(1).fileOffset());
    }

    @Test
    @Tag("corpus")
    void versionMinAndDylibsMatchOtool() throws Exception {
        io.vestige.testing.Tools.assume("llvm-otool-14", "llvm-14");
        java.nio.file.Path p = Corpus.file("macho-signed/apple-signed/ls-x86_64-sha1.thin");
        String l = io.vestige.testing.Tools.run(List.of("llvm-otool-14", "-l", p.toString())).out();
        String deps = io.vestige.testing.Tools.run(List.of("llvm-otool-14", "-L", p.toString())).out();
        MachOSlice s = MachOFile.parse(ByteSources.open(p)).slices().get(0);
        LoadCommand.VersionMin vm = s.versionMin().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmd LC_VERSION_MIN_MACOSX\\s+cmdsize \\d+\\s+version (\\S+)\\s+sdk (\\S+)")
                .matcher(l);
        assertTrue(m.find(), l);
        assertEquals(m.group(1), vm.version());
        assertEquals(m.group(2), vm.sdk());
        for (LoadCommand.Dylib d : s.dylibs()) {
            assertTrue(deps.contains(d.path() + " (compatibility version " + d.compatibilityVersion() + ", current version "
                    + d.currentVersion() + ")"), d + " in " + deps);
        }
        long count = l.lines().filter(x -> x.startsWith("Load command ")).count();
        assertEquals(count, s.commands().size());
    }

    @Test
    @Tag("corpus")
    void corpusSlices() throws Exception {
        MachOFile f = MachOFile.parse(ByteSources.open(Corpus.file("macho-signed/unsigned/santa_missing_pagezero.fat")));
        // MANIFEST: FAT i386+x86_64
        assertEquals(List.of("i386", "x86_64"), f.slices().stream().map(MachOSlice::arch).toList());
        MachOFile i386 = MachOFile.parse(ByteSources.open(Corpus.file("macho-signed/unsigned/santa_bad_pagezero.i386")));
        assertFalse(i386.slices().get(0).header().is64());
    }
}
