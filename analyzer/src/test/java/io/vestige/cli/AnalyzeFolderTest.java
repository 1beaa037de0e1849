package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: a triage folder holding bundles under temporary locations, through the CLI. */
class AnalyzeFolderTest {
    static final byte[] MACHO = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 0x0c, 0, 0, 0x01, 0, 0, 0, 0, 2, 0, 0, 0};

    static Path tree(Path root) throws Exception {
        Path app = root.resolve("private/tmp/vpn.XyZ123/vpndownloader.app/Contents");
        Files.createDirectories(app.resolve("MacOS"));
        Files.write(app.resolve("MacOS/vpndownloader"), MACHO);
        Files.writeString(app.resolve("Info.plist"), "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                + "<key>CFBundleExecutable</key><string>vpndownloader</string></dict></plist>");
        Files.setLastModifiedTime(app.resolve("MacOS/vpndownloader"), FileTime.from(Instant.parse("2024-03-01T10:00:00.123456789Z")));
        Path other = root.resolve("private/var/folders/ab/cdef/T/Other.app/Contents/MacOS");
        Files.createDirectories(other);
        Files.write(other.resolve("Other"), MACHO);
        Path noexe = root.resolve("private/tmp/NotCode.app/Contents");
        Files.createDirectories(noexe);
        Files.writeString(noexe.resolve("readme.txt"), "no code here");
        Path outside = root.resolve("Users/x/Applications/Elsewhere.app/Contents/MacOS");
        Files.createDirectories(outside);
        Files.write(outside.resolve("Elsewhere"), MACHO);
        Path xss = root.resolve("private/tmp/<script>alert(1)</script>.app/Contents/MacOS");
        Files.createDirectories(xss);
        Files.write(xss.resolve("x"), MACHO);
        // Reading a live folder updates access times (relatime) unless atime is already newer than
        // mtime/ctime; pin them so that two runs over the same tree see the same evidence.
        FileTime future = FileTime.from(Instant.now().plusSeconds(3600));
        try (var walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(null, future, null);
            }
        }
        return root;
    }

    @Test
    void analyzeFindsBundlesUnderTemporaryLocationsOnly(@TempDir Path tmp) throws Exception {
        Path ev = tree(tmp.resolve("triage"));
        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", out.toString(), "--case", "C-1", "--reproducible");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode findings = rep.get("findings");
        assertEquals(3, findings.size(), findings.toString());
        JsonNode h048 = null;
        for (JsonNode f : findings) {
            if (f.get("bundlePath").asText().equals("/private/tmp/vpn.XyZ123/vpndownloader.app")) {
                h048 = f;
            }
            assertFalse(f.get("bundlePath").asText().contains("Elsewhere"));
            assertFalse(f.get("bundlePath").asText().contains("NotCode"));
        }
        assertTrue(h048 != null, findings.toString());
        assertEquals("H048", h048.get("rule").asText());
        assertEquals("/private/tmp/vpn.XyZ123/vpndownloader.app/Contents/MacOS/vpndownloader", h048.at("/executable/path").asText());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MACHO));
        assertEquals(sha, h048.at("/executable/sha256").asText());
        assertTrue(h048.get("evidencePath").asText().startsWith("triage"), h048.get("evidencePath").asText());
        assertTrue(h048.get("evidencePath").asText().endsWith("/private/tmp/vpn.XyZ123/vpndownloader.app"));
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("/private/tmp/vpn.XyZ123/vpndownloader.app"));
        assertFalse(html.contains("<script>alert(1)</script>"), "evidence names must be escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void reproducibleRunsGiveIdenticalBytes(@TempDir Path tmp) throws Exception {
        Path ev = tree(tmp.resolve("triage"));
        for (String d : List.of("a", "b")) {
            assertEquals(0, CliTestSupport.run("analyze", ev.toString(), "--out", tmp.resolve(d).toString(), "--reproducible").exit());
        }
        for (String f : List.of("report.json", "report.html", "timeline.jsonl", "timeline.csv")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void lsJsonAndCat(@TempDir Path tmp) throws Exception {
        Path ev = tree(tmp.resolve("triage"));
        CliTestSupport.Run r = CliTestSupport.run("ls", ev.toString(), "/private/tmp", "-r", "--json");
        assertEquals(0, r.exit(), r.err());
        ObjectMapper m = new ObjectMapper();
        boolean seen = false;
        for (String line : r.out().split("\n")) {
            JsonNode n = m.readTree(line);
            for (String k : List.of("path", "kind", "size", "mode", "uid", "gid", "modified")) {
                assertTrue(n.has(k), k + " in " + line);
            }
            if (n.get("path").asText().equals("/private/tmp/vpn.XyZ123/vpndownloader.app/Contents/MacOS/vpndownloader")) {
                seen = true;
                assertEquals("file", n.get("kind").asText());
                assertEquals(MACHO.length, n.get("size").asInt());
                assertEquals("2024-03-01T10:00:00.123456789Z", n.get("modified").asText());
            }
        }
        assertTrue(seen, r.out());
        byte[] got = CliTestSupport.runCat("cat", ev.toString(), "/private/tmp/vpn.XyZ123/vpndownloader.app/Contents/MacOS/vpndownloader");
        assertArrayEquals(MACHO, got);
    }

    @Test
    void missingEvidenceIsAOneLineErrorWithExitCode(@TempDir Path tmp) {
        CliTestSupport.Run r = CliTestSupport.run("info", tmp.resolve("nope.E01").toString());
        assertEquals(ExitCodes.NO_INPUT, r.exit(), r.err());
        assertTrue(r.err().startsWith("vestige: error:"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug");
    }
}
