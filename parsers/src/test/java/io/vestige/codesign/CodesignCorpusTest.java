package io.vestige.codesign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real signatures from the corpus. Expected values come from MANIFEST.tsv notes (identifier,
 * team, CodeDirectory version and hash type), openssl's reading of the embedded certificates
 * (subjects, the Apple Root CA fingerprint) and llvm-otool (UUIDs).
 */
@Tag("corpus")
class CodesignCorpusTest {
    static CodeSignResult file(String rel) throws Exception {
        try (ByteSource s = ByteSources.open(Corpus.file("macho-signed/" + rel))) {
            return CodeSignatureVerifier.verifyFile(s, VerifyOptions.defaults());
        }
    }

    static CodeSignResult bundle(String rel) throws Exception {
        Path p = Corpus.file("macho-signed/" + rel);
        return CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(p).root(), VerifyOptions.defaults());
    }

    static Set<ProblemType> types(CodeSignResult r) {
        return r.problems().stream().map(Problem::type).collect(Collectors.toSet());
    }

    @Test
    void lsSequoiaIsValidInBothSlicesUnderAppleRootCa() throws Exception {
        CodeSignResult r = file("apple-signed/ls-sequoia.fat");
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals(2, r.slices().size());
        for (CodeSignResult.SliceResult s : r.slices()) {
            assertEquals(Verdict.VALID, s.verdict());
            assertEquals("com.apple.ls", s.identifier());
            assertEquals("0x20400", s.codeDirectories().get(0).version());
            assertEquals("sha256", s.codeDirectories().get(0).hashType());
            assertTrue(s.codeDirectories().get(0).pageHashesValid());
            assertEquals("apple", s.cms().anchor().kind());
            assertEquals("Apple Root CA", s.cms().anchor().name());
            // openssl x509 -fingerprint -sha256 of the embedded root
            assertEquals("b0b1730ecbc7ff4505142c49f1295e6eda6bcaed7e2c68c5be91b5a11001f024", s.cms().anchor().sha256());
            assertEquals("Software Signing", s.cms().signerCommonName());
            assertEquals("identifier \"com.apple.ls\" and anchor apple", s.designatedRequirement());
            assertEquals(Boolean.TRUE, s.designatedRequirementSatisfied());
            assertEquals("match", s.cms().cdhashesAttribute());
        }
        assertEquals(List.of("x86_64", "arm64e"), r.slices().stream().map(CodeSignResult.SliceResult::arch).toList());
    }

    @Test
    void lsSequoiaSlicesAndUuidsMatchOtool(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Tools.assume("llvm-otool-14", "llvm-14");
        Path p = Corpus.file("macho-signed/apple-signed/ls-sequoia.fat");
        // otool -f gives the slice offsets and sizes; otool -l on each extracted slice gives its UUID
        String fat = Tools.run(List.of("llvm-otool-14", "-f", p.toString())).out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("offset (\\d+)\\s+size (\\d+)").matcher(fat);
        CodeSignResult r = file("apple-signed/ls-sequoia.fat");
        byte[] all = java.nio.file.Files.readAllBytes(p);
        int i = 0;
        while (m.find()) {
            long off = Long.parseLong(m.group(1));
            long size = Long.parseLong(m.group(2));
            CodeSignResult.SliceResult s = r.slices().get(i++);
            assertEquals(off, s.fileOffset());
            assertEquals(size, s.size());
            Path slice = tmp.resolve("slice" + i);
            java.nio.file.Files.write(slice, java.util.Arrays.copyOfRange(all, (int) off, (int) (off + size)));
            String l = Tools.run(List.of("llvm-otool-14", "-l", slice.toString())).out();
            assertTrue(l.contains("uuid " + s.uuid().toUpperCase()), s.uuid() + " not in " + l);
        }
        assertEquals(2, i);
    }

    @Test
    void opensslAgreesOnEveryCorpusCmsSignature(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Tools.assume("openssl", "openssl");
        for (String f : List.of("apple-signed/ls-sequoia.fat", "apple-signed/ls-x86_64-sha1.thin",
            "apple-signed/ls-x86_64-sha256.thin", "developer-id/DevSignedApp.app-unzipped/DevSignedApp.app/Contents/MacOS/SignedApp",
            "apple-development/santa_cert_hash_allowed_signingid_blocked.fat", "self-signed-cms/santa_goodcert.thin",
            "self-signed-cms/santa_badcert.thin")) {
            Path p = Corpus.file("macho-signed/" + f);
            CodeSignResult r = file(f);
            io.vestige.format.macho.MachOFile mf = io.vestige.format.macho.MachOFile.parse(ByteSources.open(p));
            for (int i = 0; i < mf.slices().size(); i++) {
                io.vestige.format.macho.MachOSlice s = mf.slices().get(i);
                var cs = s.codeSignature().orElseThrow();
                SuperBlob sb = SuperBlob.parse(s.source().readBytes(cs.dataOff(), (int) cs.dataSize()), 0,
                        io.vestige.io.ParseLimits.defaults());
                Path cd = tmp.resolve("cd");
                Path cms = tmp.resolve("cms");
                java.nio.file.Files.write(cd, sb.slot(0).blob());
                byte[] w = sb.slot(0x10000).blob();
                java.nio.file.Files.write(cms, java.util.Arrays.copyOfRange(w, 8, w.length));
                Tools.Result o = Tools.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                        cms.toString(), "-content", cd.toString(), "-noverify", "-out", "/dev/null"));
                CodeSignResult.CmsResult c = r.slices().get(i).cms();
                assertEquals(o.exitCode() == 0, c.signatureValid() && c.messageDigestValid(), f + " " + o.stderr());
                assertTrue(c.signatureValid(), f);
                // openssl's view of the signer certificate
                Tools.Result certs = Tools.run(List.of("openssl", "pkcs7", "-inform", "DER", "-in", cms.toString(),
                        "-print_certs", "-noout"));
                assertTrue(certs.out().contains("CN = " + c.signerCommonName()), f + " " + certs.out());
            }
        }
    }

    @Test
    void developerIdBundleIsValidWithIntactResources() throws Exception {
        CodeSignResult r = bundle("developer-id/DevSignedApp.app-unzipped/DevSignedApp.app");
        assertEquals(Verdict.VALID, r.verdict(), r.problems().toString());
        assertEquals("ZCK58M894E", r.teamId());
        assertEquals("com.zoo.SignedApp", r.identifier());
        assertTrue(r.bundle().codeResourcesIntact());
        CodeSignResult.SliceResult s = r.slices().get(0);
        assertEquals("arm64", s.arch());
        assertEquals("Developer ID Application: Mayur Pawashe (ZCK58M894E)", s.cms().signerCommonName());
        assertEquals("ZCK58M894E", s.cms().teamId());
        assertEquals("apple", s.cms().anchor().kind());
        assertTrue(s.cms().certificateRoles().stream().anyMatch(x -> x.contains("1.2.840.113635.100.6.1.13")));
        assertTrue(s.cms().certificateRoles().stream().anyMatch(x -> x.contains("1.2.840.113635.100.6.2.6")));
        assertTrue(s.cms().timestamp().valid());
        assertEquals(Boolean.TRUE, s.designatedRequirementSatisfied());
        assertTrue(s.entitlements().contains("com.apple.security.app-sandbox"));
        // openssl asn1parse of the slot-7 blob: two UTF8STRING keys, each with BOOLEAN 255
        assertEquals("{com.apple.security.app-sandbox=true, com.apple.security.files.user-selected.read-only=true}",
                s.derEntitlements());
        assertTrue(s.notes().isEmpty(), s.notes().toString());
    }

    @Test
    void selfSignedCmsIsUntrustedAnchor() throws Exception {
        for (String f : List.of("self-signed-cms/santa_badcert.thin", "self-signed-cms/santa_goodcert.thin")) {
            CodeSignResult r = file(f);
            assertEquals(Verdict.UNTRUSTED_ANCHOR, r.verdict(), f + " " + r.problems());
            assertEquals(Set.of(ProblemType.UNTRUSTED_ANCHOR), types(r), f);
            assertEquals("untrusted", r.slices().get(0).cms().anchor().kind());
        }
        // OU=EQHXZ8M8AV looks like a team id but the chain is not Apple's
        assertEquals("CN=localhost,C=US,O=Google LLC,OU=EQHXZ8M8AV,Name=santa",
                file("self-signed-cms/santa_goodcert.thin").slices().get(0).cms().signerSubject());
    }

    @Test
    void adhocAndUnsignedSamples() throws Exception {
        for (String f : List.of("adhoc/santa_ret0.arm64", "adhoc/santa_allowed_cdhash.arm64", "adhoc/hello-macos-arm64-chained")) {
            CodeSignResult r = file(f);
            assertEquals(Verdict.ADHOC, r.verdict(), f + " " + r.problems());
            assertTrue(r.slices().get(0).flags().contains("adhoc"), f);
        }
        assertTrue(file("adhoc/santa_allowed_cdhash.arm64").slices().get(0).flags().contains("linker-signed"));
        for (String f : List.of("unsigned/hello-osx-x86_64", "unsigned/santa_goodbinary.x86_64",
            "unsigned/santa_missing_pagezero.fat", "unsigned/santa_bad_pagezero.i386")) {
            assertEquals(Verdict.UNSIGNED, file(f).verdict(), f);
        }
        assertEquals(Verdict.UNSIGNED, bundle("unsigned/BundleExample.app").verdict());
    }

    @Test
    void codeSignedInvalidBundleNamesItsProblems() throws Exception {
        CodeSignResult r = bundle("bundles-codesignature-only/CodeSignedInvalid.bundle");
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals("bundle-detached", r.kind());
        assertTrue(types(r).contains(ProblemType.INFO_PLIST_MISMATCH), r.problems().toString());
        assertTrue(types(r).contains(ProblemType.RESOURCE_ADDED), r.problems().toString());
        assertEquals(List.of("Resources/test-pubkey.pem"), r.bundle().added());
        // one modified Info.plist, hashed by both the SHA-1 and the SHA-256 CodeDirectory: one problem each, naming both
        for (ProblemType t : List.of(ProblemType.CODE_PAGE_HASH_MISMATCH, ProblemType.INFO_PLIST_MISMATCH)) {
            List<Problem> top = r.problems().stream().filter(p -> p.type() == t).toList();
            assertEquals(1, top.size(), r.problems().toString());
            assertEquals("none CodeDirectory, alternate CodeDirectory #0", top.get(0).where());
            assertEquals(top, r.slices().get(0).problems().stream().filter(p -> p.type() == t).toList());
        }
        // the differing evidence of each CodeDirectory is kept (values from the bundle's own CodeDirectory files)
        String info = r.problems().stream().filter(p -> p.type() == ProblemType.INFO_PLIST_MISMATCH).findFirst()
                .orElseThrow().message();
        assertTrue(info.contains("8ab1769212bfa5901aef787b1ee95acbf13f2813"), info);
        assertTrue(info.contains("4f8db57ee97f10adc9b745ee43982b41a67790da802403a76e000d336ecc7699"), info);
        assertEquals(r.problems().size(), new java.util.HashSet<>(r.problems()).size(), r.problems().toString());
        CodeSignResult ok = bundle("bundles-codesignature-only/CodeSignedBoth.bundle");
        assertEquals(Verdict.ADHOC, ok.verdict(), ok.problems().toString());
        assertTrue(ok.bundle().codeResourcesIntact());
    }

    @Test
    void olderAppleSignaturesAndDevelopmentCertificates() throws Exception {
        CodeSignResult sha1 = file("apple-signed/ls-x86_64-sha1.thin");
        assertEquals(Verdict.VALID, sha1.verdict(), sha1.problems().toString());
        assertEquals("sha1", sha1.slices().get(0).codeDirectories().get(0).hashType());
        assertEquals("0x20100", sha1.slices().get(0).codeDirectories().get(0).version());
        CodeSignResult sha256 = file("apple-signed/ls-x86_64-sha256.thin");
        assertEquals(Verdict.VALID, sha256.verdict(), sha256.problems().toString());
        assertEquals("sha256", sha256.slices().get(0).codeDirectories().get(0).hashType());
        assertEquals("TJNVEKW352", file("apple-development/santa_allowed_teamid.thin").teamId());
        CodeSignResult fat = file("apple-development/santa_cert_hash_allowed_signingid_blocked.fat");
        assertEquals(Verdict.VALID, fat.verdict(), fat.problems().toString());
        assertEquals("EQHXZ8M8AV", fat.teamId());
        assertEquals("com.google.blocked_signing_id", fat.identifier());
        assertEquals(Verdict.VALID, file("apple-development/santa_allowed_signingid.thin").verdict());
    }
}
