package io.vestige.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.reports.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How hash-set hits weigh in the verdict (VerdictEngineTest style). */
class HashSetVerdictTest {
    static final String EXE = "/private/tmp/vpn.X/vpndownloader.app/Contents/MacOS/vpndownloader";
    static final String LIB = "/private/tmp/vpn.X/vpndownloader.app/Contents/Frameworks/libx.dylib";

    static BundleEvidence ev(BundleEvidence.Signature s, List<Finding.HashSetHit> hits) {
        return new BundleEvidence(true, "vpndownloader", "com.cisco.anyconnect.vpndownloader", s, List.of(), List.of(),
                List.of(), EXE, hits);
    }

    static Finding.HashSetHit hit(String path, String set) {
        return new Finding.HashSetHit(path, "ab".repeat(32), set, set + ".csv", "sha256", "entry", "a description", null);
    }

    static List<String> codes(VerdictEngine.Result r) {
        return r.reasons().stream().map(Finding.Reason::code).toList();
    }

    @Test
    void knownBadOnAnyFileIsStrongEvenWithAValidSignature() {
        BundleEvidence.Signature valid = VerdictEngineTest.sig("valid", "DE8Y96K9QP", "apple");
        assertEquals(VerdictEngine.LEGIT, VerdictEngine.decide(VerdictEngineTest.H048, ev(valid, List.of())).verdict());
        for (String path : List.of(EXE, LIB)) {
            VerdictEngine.Result r = VerdictEngine.decide(VerdictEngineTest.H048, ev(valid, List.of(hit(path, "known-bad"))));
            assertEquals(VerdictEngine.MALICIOUS, r.verdict());
            Finding.Reason bad = r.reasons().get(0);
            assertEquals("HASH-KNOWN-BAD", bad.code());
            assertEquals("strong", bad.weight());
            assertTrue(bad.text().contains("known-bad.csv") && bad.text().contains("a description"), bad.text());
            assertTrue(bad.evidence().get(0).startsWith(path), bad.evidence().toString());
        }
    }

    @Test
    void knownGoodAndNsrlOnTheExecutableAreInformationOnly() {
        // under H048 (a signer is expected) an ad-hoc signature is a strong contradiction
        VerdictEngine.Result r = VerdictEngine.decide(VerdictEngineTest.H048,
                ev(VerdictEngineTest.sig("adhoc", null, null), List.of(hit(EXE, "known-good"), hit(EXE, "nsrl"))));
        assertEquals(VerdictEngine.MALICIOUS, r.verdict(), "an ad-hoc signature stays strong despite a known-good listing");
        assertTrue(codes(r).containsAll(List.of("SIG-ADHOC", "HASH-KNOWN-GOOD", "HASH-NSRL")), codes(r).toString());
        for (Finding.Reason x : r.reasons()) {
            if (x.code().startsWith("HASH-")) {
                assertEquals("info", x.weight());
                assertTrue(x.text().contains("does not"), x.text());
            }
        }
        VerdictEngine.Result unverified = VerdictEngine.decide(VerdictEngineTest.TEMP, ev(null, List.of(hit(EXE, "known-good"))));
        assertEquals(VerdictEngine.SUSPICIOUS, unverified.verdict(), "a known-good hit alone makes nothing legitimate");
    }

    @Test
    void knownGoodOnAnotherFileGivesNoReason() {
        VerdictEngine.Result r = VerdictEngine.decide(VerdictEngineTest.TEMP, ev(null, List.of(hit(LIB, "known-good"), hit(LIB, "nsrl"))));
        assertFalse(codes(r).stream().anyMatch(c -> c.startsWith("HASH-")), codes(r).toString());
    }
}
