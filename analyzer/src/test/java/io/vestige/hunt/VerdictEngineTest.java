package io.vestige.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.reports.Finding;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictEngineTest {
    static final HuntRule H048 = HuntRule.builtIn().stream().filter(r -> r.id().equals("H048")).findFirst().orElseThrow();
    static final HuntRule TEMP = HuntRule.builtIn().stream().filter(r -> r.id().equals("TEMP-APP")).findFirst().orElseThrow();

    static BundleEvidence.Signature sig(String verdict, String team, String anchor) {
        return new BundleEvidence.Signature(verdict, team, team, "com.cisco.anyconnect.vpndownloader",
                "CN=Developer ID Application: Cisco (" + team + ")", "Cisco", anchor, anchor == null ? null : anchor + " root",
                List.of(), List.of(), List.of(), List.of(), "case.E01 › /x");
    }

    static BundleEvidence ev(BundleEvidence.Signature s, List<BundleEvidence.Origin> origins) {
        return new BundleEvidence(true, "vpndownloader", "com.cisco.anyconnect.vpndownloader", s, origins, List.of(), List.of());
    }

    static List<String> codes(VerdictEngine.Result r) {
        return r.reasons().stream().map(Finding.Reason::code).toList();
    }

    @Test
    void ciscoTeamWithAppleAnchorIsConsistent() {
        VerdictEngine.Result r = VerdictEngine.decide(H048, ev(sig("valid", "DE8Y96K9QP", "apple"), List.of(new BundleEvidence.Origin(
                "quarantine", "https://disthost.umbrella.com/roaming/upgrade/mac_anyconnect/production/x.dmg", "curl", Instant.EPOCH, "q"))));
        assertEquals(VerdictEngine.LEGIT, r.verdict(), r.toString());
        assertTrue(codes(r).containsAll(List.of("SIG-VALID", "TEAM-MATCH", "ORIGIN-MATCH")), codes(r).toString());
    }

    @Test
    void anotherTeamIsAMasquerade() {
        VerdictEngine.Result r = VerdictEngine.decide(H048, ev(sig("valid", "ABCDE12345", "apple"), List.of()));
        assertEquals(VerdictEngine.MALICIOUS, r.verdict());
        Finding.Reason mismatch = r.reasons().stream().filter(x -> x.code().equals("TEAM-MISMATCH")).findFirst().orElseThrow();
        assertTrue(mismatch.attack().contains("T1036.005"));
    }

    @Test
    void brokenSealUnsignedAdhocAndForeignHostAreMalicious() {
        assertEquals(VerdictEngine.MALICIOUS, VerdictEngine.decide(H048, ev(sig("invalid", "DE8Y96K9QP", "apple"), List.of())).verdict());
        assertEquals(VerdictEngine.MALICIOUS, VerdictEngine.decide(H048, ev(sig("unsigned", null, null), List.of())).verdict());
        assertEquals(VerdictEngine.MALICIOUS, VerdictEngine.decide(H048, ev(sig("adhoc", null, null), List.of())).verdict());
        VerdictEngine.Result foreign = VerdictEngine.decide(H048, ev(sig("valid", "DE8Y96K9QP", "apple"), List.of(
                new BundleEvidence.Origin("log", "http://evil.example/vpndownloader.zip", null, Instant.EPOCH, "log"))));
        assertEquals(VerdictEngine.MALICIOUS, foreign.verdict());
        assertTrue(codes(foreign).contains("ORIGIN-FOREIGN"));
    }

    @Test
    void untrustedAnchorIsSuspiciousAndUserAnchorIsLabelled() {
        assertEquals(VerdictEngine.SUSPICIOUS, VerdictEngine.decide(H048, ev(sig("untrusted-anchor", "DE8Y96K9QP", null), List.of())).verdict());
        VerdictEngine.Result r = VerdictEngine.decide(H048, ev(sig("valid", "DE8Y96K9QP", "user-supplied"), List.of()));
        assertEquals(VerdictEngine.LEGIT, r.verdict());
        assertTrue(codes(r).contains("SIG-VALID-USER-ANCHOR"));
    }

    @Test
    void goneBinaryIsUndeterminedAndGenericRuleIsNeverLegit() {
        BundleEvidence gone = new BundleEvidence(false, null, null, null, List.of(), List.of(), List.of("fsevents"));
        assertEquals(VerdictEngine.UNDETERMINED, VerdictEngine.decide(H048, gone).verdict());
        assertEquals(VerdictEngine.SUSPICIOUS, VerdictEngine.decide(TEMP, ev(sig("valid", "ZCK58M894E", "apple"), List.of())).verdict());
    }
}
