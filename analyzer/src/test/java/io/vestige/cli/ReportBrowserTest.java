package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders reports in headless Chromium as a reader would: the DOM after load, a screenshot and a
 * PDF print. Evidence strings carrying HTML, JavaScript and CSS must stay inert text.
 */
class ReportBrowserTest {
    static final String EVIL_NAME = "<img src=x onerror=\"document.title='pwned-name'\">";
    static final String EVIL_PLIST = "<script>document.title='pwned-plist'</script></style><style>body{display:none}</style>";

    static List<String> chromium(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void reportRendersVerdictsAndKeepsHostileEvidenceInert(@TempDir Path tmp) throws Exception {
        Tools.assume("chromium", "chromium");
        Path tri = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        Path app = tri.resolve("private/tmp/" + EVIL_NAME.replace('/', '_') + ".app/Contents");
        Files.createDirectories(app.resolve("MacOS"));
        Files.write(app.resolve("MacOS/x"), AnalyzeFolderTest.MACHO);
        Files.writeString(app.resolve("Info.plist"), "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                + "<key>CFBundleName</key><string>" + EVIL_PLIST.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                + "</string><key>CFBundleExecutable</key><string>x</string></dict></plist>");
        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", tri.toString(), "--out", out.toString(), "--case", "C-\"<b>1</b>");
        assertEquals(0, r.exit(), r.err());
        String raw = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertFalse(raw.contains(EVIL_NAME) || raw.contains("<script>"), "evidence strings must be escaped in the HTML source");

        String url = out.resolve("report.html").toUri().toString();
        Tools.Result dom = Tools.run(chromium(tmp.resolve("p1"), "--dump-dom", url), 120);
        assertEquals(0, dom.exitCode(), dom.stderr());
        String d = dom.out();
        String title = d.substring(d.indexOf("<title>"), d.indexOf("</title>"));
        assertTrue(title.startsWith("<title>Vestige report") && !title.contains("pwned"), "no evidence string ran as script: " + title);
        assertFalse(d.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script element in the DOM");
        assertFalse(d.contains("<img"), "no image element from evidence");
        assertTrue(d.contains("&lt;img src=x onerror="), "the hostile name is shown as text");
        assertTrue(d.contains("malicious-indicators") || d.contains(">suspicious<"), "verdicts are visible");
        assertTrue(d.contains("4. Timeline") && d.contains("<svg"), "timeline chart is present");
        assertFalse(dom.stderr().contains("Uncaught"), dom.stderr());

        Path png = tmp.resolve("report.png");
        Tools.Result shot = Tools.run(chromium(tmp.resolve("p2"), "--screenshot=" + png, "--window-size=1200,2000", url), 120);
        assertEquals(0, shot.exitCode(), shot.stderr());
        assertTrue(Files.size(png) > 20_000, "screenshot has content");
        Path pdf = tmp.resolve("report.pdf");
        Tools.Result print = Tools.run(chromium(tmp.resolve("p3"), "--print-to-pdf=" + pdf, "--no-pdf-header-footer", url), 120);
        assertEquals(0, print.exitCode(), print.stderr());
        byte[] head = Files.readAllBytes(pdf);
        assertTrue(new String(head, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"), "a PDF exhibit is printed");
        int pages = 0;
        String text = new String(head, StandardCharsets.ISO_8859_1);
        for (int i = text.indexOf("/Type /Page"); i >= 0; i = text.indexOf("/Type /Page", i + 1)) {
            if (!text.startsWith("/Type /Pages", i)) {
                pages++;
            }
        }
        assertTrue(pages >= 2 || text.contains("/Count "), "the cover breaks to its own page");
    }
}
