package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Developer ID-signed app (team ZCK58M894E, per the corpus MANIFEST) placed where H048 looks:
 * the signature verifies offline to Apple's root, and the team is not Cisco's, so the bundle is a
 * masquerade; the same app under /private/var/folders/…/T is only suspicious.
 */
@Tag("corpus")
class CorpusHuntTest {
    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void realDeveloperIdAppAtTheAnyConnectLocationIsAMasquerade(@TempDir Path tmp) throws Exception {
        Path app = Corpus.file("macho-signed/developer-id/DevSignedApp.app-unzipped/DevSignedApp.app");
        Path tri = tmp.resolve("triage");
        copyTree(app, tri.resolve("private/tmp/vpn.Q1w2E3/vpndownloader.app"));
        copyTree(app, tri.resolve("private/var/folders/zz/abc123/T/DevSignedApp.app"));
        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", tri.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode findings = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("findings");
        assertEquals(2, findings.size());
        JsonNode h048 = findings.get(0);
        assertEquals("/private/tmp/vpn.Q1w2E3/vpndownloader.app", h048.get("bundlePath").asText());
        assertEquals("H048", h048.get("rule").asText());
        assertEquals("valid", h048.at("/codeSignature/verdict").asText());
        assertEquals("malicious-indicators", h048.get("verdict").asText());
        List<String> codes = new ArrayList<>();
        h048.get("reasons").forEach(x -> codes.add(x.get("code").asText()));
        assertTrue(codes.containsAll(List.of("TEAM-MISMATCH", "SIG-VALID")), codes.toString());
        JsonNode generic = findings.get(1);
        assertEquals("TEMP-APP", generic.get("rule").asText());
        assertEquals("suspicious", generic.get("verdict").asText());
        assertTrue(generic.get("reasons").toString().contains("ZCK58M894E"));
    }
}
