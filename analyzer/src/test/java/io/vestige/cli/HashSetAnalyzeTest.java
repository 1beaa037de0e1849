package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: hash lists given to {@code vestige analyze} reach the findings, the verdict and the report. */
class HashSetAnalyzeTest {
    static final String VPN = "/private/tmp/vpn.XyZ123/vpndownloader.app";

    static JsonNode finding(JsonNode rep, String bundle) {
        for (JsonNode f : rep.get("findings")) {
            if (f.get("bundlePath").asText().equals(bundle)) {
                return f;
            }
        }
        throw new AssertionError(bundle + " not in " + rep.get("findings"));
    }

    static boolean hasReason(JsonNode f, String code, String weight) {
        for (JsonNode r : f.get("reasons")) {
            if (r.get("code").asText().equals(code) && r.get("weight").asText().equals(weight)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void knownBadExecutableHashGivesMaliciousIndicators(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(AnalyzeFolderTest.MACHO));
        Path bad = tmp.resolve("iocs.csv");
        Files.writeString(bad, "SHA256,Name,Description\n" + sha.toUpperCase() + ",stub-loader,\"test IOC <b>x</b>\"\n");
        Path good = tmp.resolve("good.txt");
        Files.writeString(good, "0".repeat(64) + "\n");

        Path plainOut = tmp.resolve("plain");
        assertEquals(0, CliTestSupport.run("analyze", ev.toString(), "--out", plainOut.toString(), "--reproducible").exit());
        JsonNode plain = new ObjectMapper().readTree(plainOut.resolve("report.json").toFile());
        assertFalse(hasReason(finding(plain, VPN), "HASH-KNOWN-BAD", "strong"));
        assertEquals(0, finding(plain, VPN).get("hashSetHits").size());

        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", out.toString(), "--reproducible",
                "--known-bad", bad.toString(), "--known-good", good.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode f = finding(rep, VPN);
        assertEquals("malicious-indicators", f.get("verdict").asText());
        assertTrue(hasReason(f, "HASH-KNOWN-BAD", "strong"), f.get("reasons").toString());
        JsonNode hit = f.get("hashSetHits").get(0);
        assertEquals(VPN + "/Contents/MacOS/vpndownloader", hit.get("path").asText());
        assertEquals(sha, hit.get("sha256").asText());
        assertEquals("known-bad", hit.get("set").asText());
        assertEquals("iocs.csv", hit.get("setFile").asText());
        assertEquals("stub-loader", hit.get("name").asText());
        JsonNode sets = rep.at("/config/hashSets");
        assertEquals(2, sets.size(), sets.toString());
        assertEquals("iocs.csv", sets.get(0).get("file").asText());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(bad))),
                sets.get(0).get("sha256").asText());
        assertEquals(1, sets.get(0).at("/entries/sha256").asInt());
        assertEquals("known-good", sets.get(1).get("set").asText());
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("Hash-set hits"));
        assertTrue(html.contains("test IOC &lt;b&gt;x&lt;/b&gt;"), "set descriptions are escaped");
        assertFalse(html.contains("<b>x</b>"));
    }

    @Test
    void nsrlHitOnTheExecutableIsInformationOnly(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        byte[] d = AnalyzeFolderTest.MACHO;
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d)).toUpperCase();
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(d)).toUpperCase();
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(d)).toUpperCase();
        Path db = tmp.resolve("rds.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL,"
                    + " file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL)");
            st.execute("CREATE TABLE PKG (package_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL)");
            st.execute("INSERT INTO FILE VALUES ('" + sha256 + "', '" + sha1 + "', '" + md5 + "', 'vpndownloader', 16, 9)");
            st.execute("INSERT INTO PKG VALUES (9, 'Stub Suite', '5.1')");
        }
        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", out.toString(), "--reproducible",
                "--nsrl", db.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode f = finding(rep, VPN);
        assertTrue(hasReason(f, "HASH-NSRL", "info"), f.get("reasons").toString());
        assertFalse(hasReason(f, "HASH-KNOWN-BAD", "strong"));
        JsonNode hit = f.get("hashSetHits").get(0);
        assertEquals("nsrl", hit.get("set").asText());
        assertEquals("Stub Suite 5.1 (package 9)", hit.get("description").asText());
        assertEquals("nsrl", rep.at("/config/hashSets/0/set").asText());
        assertTrue(rep.get("scope").get("examined").toString().contains("NSRL RDSv3 database rds.db"));
    }

    @Test
    void malformedListIsAOneLineErrorNamingTheLine(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        Path bad = tmp.resolve("broken.csv");
        Files.writeString(bad, "sha256\nnot-a-hash\n");
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", tmp.resolve("o").toString(),
                "--known-bad", bad.toString());
        assertEquals(ExitCodes.DATA_ERROR, r.exit(), r.err());
        assertTrue(r.err().startsWith("vestige: error: broken.csv line 2"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(tmp.resolve("o").resolve("report.json")));
    }
}
