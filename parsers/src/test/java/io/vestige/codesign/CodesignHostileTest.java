package io.vestige.codesign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.macho.CodeSigner;
import io.vestige.fixtures.macho.MachOBuilder;
import io.vestige.fixtures.macho.MachOScenarios;
import io.vestige.fixtures.macho.Requirements;
import io.vestige.io.ByteSources;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lying lengths and counts inside signatures: clean problems or ParseExceptions, never a hang or OOM. */
class CodesignHostileTest {
    static final byte[] SB_MAGIC = {(byte) 0xfa, (byte) 0xde, 0x0c, (byte) 0xc0};
    static final byte[] CD_MAGIC = {(byte) 0xfa, (byte) 0xde, 0x0c, 0x02};

    static byte[] signed() {
        return CodeSigner.sign(MachOBuilder.arm64().text(new byte[9000]).build(),
                CodeSigner.Options.developerId("com.example.h", "ABCDE12345",
                        MachOScenarios.pki().developerId("Example", "ABCDE12345"))).bytes();
    }

    static CodeSignResult verify(byte[] b) throws Exception {
        return CodeSignatureVerifier.verifyFile(ByteSources.wrap(b), VerifyOptions.defaults());
    }

    static Set<ProblemType> types(CodeSignResult r) {
        return r.problems().stream().map(Problem::type).collect(Collectors.toSet());
    }

    @Test
    void hugeNCodeSlotsIsAMalformedSignature() throws Exception {
        byte[] b = signed();
        int cd = CodeSignatureVerifierTest.indexOf(b, CD_MAGIC);
        ByteBuffer.wrap(b).putInt(cd + 28, 0x7fffffff);
        CodeSignResult r = verify(b);
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.MALFORMED_SIGNATURE), types(r));
        assertTrue(r.problems().get(0).message().contains("nCodeSlots"), r.problems().toString());
    }

    @Test
    void lyingSuperBlobCountAndLengths() throws Exception {
        byte[] base = signed();
        int sb = CodeSignatureVerifierTest.indexOf(base, SB_MAGIC);
        for (int[] patch : new int[][] {{8, 0x10000000}, {4, 0x7fffffff}, {4, 4}, {16, 0x7ffffff0}, {20, 0}}) {
            byte[] b = base.clone();
            ByteBuffer.wrap(b).putInt(sb + patch[0], patch[1]);
            CodeSignResult r = verify(b);
            assertEquals(Verdict.INVALID, r.verdict(), "patch @" + patch[0]);
            assertTrue(types(r).contains(ProblemType.MALFORMED_SIGNATURE) || types(r).contains(ProblemType.CMS_MALFORMED),
                    "patch @" + patch[0] + " " + r.problems());
        }
        // a blob whose length runs past the SuperBlob
        byte[] b = base.clone();
        int cd = CodeSignatureVerifierTest.indexOf(b, CD_MAGIC);
        ByteBuffer.wrap(b).putInt(cd + 4, 0x7fffff00);
        assertEquals(Set.of(ProblemType.MALFORMED_SIGNATURE), types(verify(b)));
    }

    @Test
    void nestedSuperBlobIsNotFollowed() throws Exception {
        // a SuperBlob whose slot 0 points back at itself: it is not a CodeDirectory and is reported, not recursed into
        ByteBuffer sb = ByteBuffer.allocate(20);
        sb.putInt(0xfade0cc0).putInt(20).putInt(1).putInt(0).putInt(0);
        assertThrows(MalformedException.class, () -> SuperBlob.parse(sb.array(), 0, ParseLimits.defaults()));
        ByteBuffer inner = ByteBuffer.allocate(40);
        inner.putInt(0xfade0cc0).putInt(40).putInt(1).putInt(0).putInt(20).putInt(0xfade0cc0).putInt(20).putInt(1).putInt(0).putInt(20);
        SuperBlob parsed = SuperBlob.parse(inner.array(), 0, ParseLimits.defaults());
        assertThrows(ParseException.class, () -> CodeDirectory.parse(parsed.slot(0).blob(), 20));
    }

    @Test
    void deepRequirementNestingFailsCleanly() {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * 10000 + 4);
        b.putInt(0xfade0c00).putInt(b.capacity()).putInt(1);
        for (int i = 0; i < 10000; i++) {
            b.putInt(9); // not not not …
        }
        b.putInt(1);
        ParseException e = assertThrows(ParseException.class, () -> Requirement.parse(b.array(), 0));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
        ByteBuffer lying = ByteBuffer.allocate(20);
        lying.putInt(0xfade0c00).putInt(20).putInt(1).putInt(2).putInt(0x7fffffff); // identifier with a huge length
        assertThrows(MalformedException.class, () -> Requirement.parse(lying.array(), 0));
    }

    @Test
    void requirementTextMatchesApplesForm() throws Exception {
        Requirement r = Requirement.parse(Requirements.developerId("com.cisco.x", "DE8Y96K9QP"), 0);
        assertEquals("identifier \"com.cisco.x\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] "
                + "/* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and "
                + "certificate leaf[subject.OU] = DE8Y96K9QP", r.toString());
        Requirements or = Requirements.expression();
        or.and().identifier("a").or().anchorApple().infoEquals("CFBundleVersion", "1.0");
        assertEquals("identifier \"a\" and (anchor apple or info[CFBundleVersion] = \"1.0\")",
                Requirement.parse(or.blob(), 0).toString());
    }

    @Test
    void randomCorruptionNeverEscapesAsRuntimeException() {
        byte[] base = signed();
        int sb = CodeSignatureVerifierTest.indexOf(base, SB_MAGIC);
        Random rnd = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 400; i++) {
                byte[] b = base.clone();
                int n = 1 + rnd.nextInt(8);
                for (int k = 0; k < n; k++) {
                    // half the hits land in the signature, the rest anywhere
                    int at = rnd.nextBoolean() ? sb + rnd.nextInt(b.length - sb) : rnd.nextInt(b.length);
                    b[at] = (byte) rnd.nextInt(256);
                }
                try {
                    CodeSignResult r = verify(b);
                    // every result is complete: a verdict and, unless valid/untrusted, a reason
                    assertTrue(r.verdict() != Verdict.INVALID || !r.problems().isEmpty());
                } catch (ParseException expected) {
                    // malformed Mach-O structure
                }
            }
        });
    }

    @Test
    void catastrophicRegexInCodeResourcesIsBounded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String cr = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>files2</key><dict/>"
                + "<key>rules2</key><dict><key>((a+)+)+b</key><true/></dict></dict></plist>";
        byte[] crb = cr.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.vestige.fixtures.macho.BundleBuilder bb = new io.vestige.fixtures.macho.BundleBuilder("R.app", "com.example.r", "R");
        byte[] info = bb.infoPlistText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] exe = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.r")
                .withInfoPlist(info).withCodeResources(crb)).bytes();
        java.nio.file.Path c = tmp.resolve("R.app/Contents");
        java.nio.file.Files.createDirectories(c.resolve("_CodeSignature"));
        java.nio.file.Files.createDirectories(c.resolve("MacOS"));
        java.nio.file.Files.createDirectories(c.resolve("Resources"));
        java.nio.file.Files.write(c.resolve("Info.plist"), info);
        java.nio.file.Files.write(c.resolve("_CodeSignature/CodeResources"), crb);
        java.nio.file.Files.write(c.resolve("MacOS/R"), exe);
        java.nio.file.Files.write(c.resolve("Resources/" + "a".repeat(40)), new byte[1]);
        CodeSignResult r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CodeSignatureVerifier.verifyBundle(
                io.vestige.format.dir.DirectoryFileSystem.of(tmp.resolve("R.app")).root(), VerifyOptions.defaults()));
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("step budget")), r.problems().toString());
    }

    @Test
    void hostilePropertyListsInABundleAreProblemsNotCrashes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        // Info.plist with values no reader can convert; CodeResources a binary plist whose dict contains itself
        byte[] info = ("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>CFBundleExecutable</key><string>R</string>"
                + "<key>n</key><integer>12x</integer><key>d</key><date>yesterday</date></dict></plist>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer cr = ByteBuffer.allocate(8 + 3 + 2 + 2 + 32);
        cr.put("bplist00".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        cr.put((byte) 0xd1).put((byte) 1).put((byte) 0).put((byte) 0x51).put((byte) 'k').put((byte) 8).put((byte) 11);
        cr.put(new byte[6]).put((byte) 1).put((byte) 1).putLong(2).putLong(0).putLong(13);
        byte[] exe = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.r")
                .withInfoPlist(info).withCodeResources(cr.array())).bytes();
        java.nio.file.Path c = tmp.resolve("R.app/Contents");
        java.nio.file.Files.createDirectories(c.resolve("_CodeSignature"));
        java.nio.file.Files.createDirectories(c.resolve("MacOS"));
        java.nio.file.Files.write(c.resolve("Info.plist"), info);
        java.nio.file.Files.write(c.resolve("_CodeSignature/CodeResources"), cr.array());
        java.nio.file.Files.write(c.resolve("MacOS/R"), exe);
        CodeSignResult r = CodeSignatureVerifier.verifyBundle(
                io.vestige.format.dir.DirectoryFileSystem.of(tmp.resolve("R.app")).root(), VerifyOptions.defaults());
        assertEquals("bundle", r.kind());
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("Info.plist is not a readable property list")),
                r.notes().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.type() == ProblemType.MALFORMED_SIGNATURE
                && p.message().startsWith("CodeResources: ")), r.problems().toString());
    }

    @Test
    void maxMetadataLimitApplies() throws Exception {
        byte[] b = signed();
        ParseException e = assertThrows(ParseException.class, () -> CodeSignatureVerifier.verifyFile(ByteSources.wrap(b),
                VerifyOptions.defaults().withLimits(ParseLimits.defaults().with("maxMetadataSize", 100))));
        assertTrue(e.getMessage().contains("maxMetadataSize"), e.getMessage());
    }
}
