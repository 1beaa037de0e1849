package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vestige.fixtures.macho.CodeSigner;
import io.vestige.fixtures.macho.MachOBuilder;
import io.vestige.fixtures.macho.MachOScenarios;
import io.vestige.testing.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CodesignCommandTest {
    @TempDir
    Path tmp;

    record Out(int code, String out, String err) {
    }

    static Out run(String... args) {
        CommandLine cl = new CommandLine(new CodesignCommand());
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        return new Out(code, o.toString(), e.toString());
    }

    private Path write(Map<String, byte[]> files) throws Exception {
        for (var e : files.entrySet()) {
            Path p = tmp.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return tmp.resolve(MachOScenarios.BUNDLE);
    }

    @Test
    void ciscoLookAlikeUntrustedThenValidWithAnchor() throws Exception {
        Path app = write(MachOScenarios.ciscoLookAlike());
        Out def = run(app.toString());
        assertEquals(1, def.code(), def.out() + def.err());
        assertTrue(def.out().contains(": untrusted-anchor"), def.out());
        assertTrue(def.out().contains("team ID: DE8Y96K9QP"), def.out());
        assertTrue(def.out().contains("Developer ID Application: Cisco (DE8Y96K9QP)"), def.out());
        Path pem = tmp.resolve("root.pem");
        Files.writeString(pem, MachOScenarios.rootPem());
        Out ok = run(app.toString(), "--trust-anchor", pem.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("anchor: user-supplied"), ok.out());
        Out js = run(app.resolve("Contents/MacOS/vpndownloader").toString(), "--json", "--trust-anchor", pem.toString());
        assertEquals(0, js.code(), js.err());
        JsonNode n = Cli.json().readTree(js.out());
        assertEquals("valid", n.get("verdict").asText());
        assertEquals("bundle", n.get("kind").asText());
        assertEquals("DE8Y96K9QP", n.get("slices").get(0).get("codeDirectories").get(0).get("teamId").asText());
    }

    @Test
    void tamperedIsInvalidAndUnsignedIsTwo() throws Exception {
        Path app = write(MachOScenarios.tampered());
        Out bad = run(app.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.out().contains("code-page-hash-mismatch"), bad.out());
        Path u = tmp.resolve("unsigned");
        Files.write(u, MachOBuilder.x86_64().unsigned().build());
        assertEquals(2, run(u.toString()).code());
        Path a = tmp.resolve("adhoc");
        Files.write(a, CodeSigner.sign(MachOBuilder.arm64().build(), CodeSigner.Options.adhoc("x")).bytes());
        Out ad = run(a.toString());
        assertEquals(1, ad.code());
        assertTrue(ad.out().contains(": adhoc"), ad.out());
    }

    @Test
    void evidencePathSyntax() throws Exception {
        write(MachOScenarios.ciscoLookAlike());
        Out r = run(tmp + "::/" + MachOScenarios.BUNDLE);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("untrusted-anchor"), r.out());
    }

    @Test
    void badAnchorIsAUsageError() throws Exception {
        Path junk = tmp.resolve("junk.pem");
        Files.writeString(junk, "not a certificate");
        CommandLine cl = Main.commandLine(false);
        StringWriter e = new StringWriter();
        cl.setErr(new PrintWriter(e));
        int code = cl.execute("codesign", tmp.toString(), "--trust-anchor", junk.toString());
        assertEquals(ExitCodes.USAGE, code, e.toString());
    }

    @Test
    void aPlainFolderIsAUsageError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("just a folder"));
        for (String[] extra : new String[][] {{}, {"--json"}}) {
            CommandLine cl = Main.commandLine(false);
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            cl.setOut(new PrintWriter(o));
            cl.setErr(new PrintWriter(e));
            String[] args = new String[2 + extra.length];
            args[0] = "codesign";
            args[1] = dir.toString();
            System.arraycopy(extra, 0, args, 2, extra.length);
            assertEquals(ExitCodes.USAGE, cl.execute(args), o + e.toString());
            assertTrue(e.toString().contains(dir + " is a folder but not a bundle: no Info.plist or executable"), e.toString());
            assertEquals("", o.toString());
        }
    }

    @Test
    @Tag("corpus")
    void corpusLsIsValid() {
        Path ls = Corpus.file("macho-signed/apple-signed/ls-sequoia.fat");
        Out o = run(ls.toString());
        assertEquals(0, o.code(), o.out());
        assertTrue(o.out().contains("anchor: apple (Apple Root CA)"), o.out());
    }

    @Test
    @Tag("corpus")
    void corpusInvalidBundleListsEachProblemOnce() {
        Path b = Corpus.file("macho-signed/bundles-codesignature-only/CodeSignedInvalid.bundle");
        Out o = run(b.toString());
        assertEquals(1, o.code(), o.out() + o.err());
        // the modified Info.plist is hashed by both CodeDirectories, but it is one fact
        for (String label : new String[] {"code-page-hash-mismatch", "info-plist-mismatch", "resource-added"}) {
            assertEquals(1, o.out().split(java.util.regex.Pattern.quote(label), -1).length - 1, o.out());
        }
    }
}
