package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vestige.fixtures.logs.ExportEvent;
import io.vestige.fixtures.logs.FseventsWriter;
import io.vestige.fixtures.logs.LogExportWriter;
import io.vestige.testing.Corpus;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LogCommandTest {
    record Out(int code, String out, String err) {
    }

    static Out run(Object cmd, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        return new Out(code, o.toString(), e.toString());
    }

    static Path export(Path dir, LogExportWriter.Style style) throws Exception {
        Path f = dir.resolve("export." + style.name().toLowerCase());
        Instant t = Instant.parse("2024-05-06T07:08:09.123456Z");
        try (OutputStream os = Files.newOutputStream(f);
             LogExportWriter w = new LogExportWriter(os, style, ZoneOffset.ofHours(2), null)) {
            w.write(ExportEvent.log(t, 10, "/private/tmp/vpn.Q1w2E3/vpndownloader.app/Contents/MacOS/vpndownloader",
                    "com.cisco.anyconnect", "dl", "Default", "download started"));
            w.write(ExportEvent.log(t.plusSeconds(60), 11, "/usr/libexec/syspolicyd", "com.apple.syspolicy", "exec",
                    "Error", "assessment denied"));
            w.write(ExportEvent.log(t.plusSeconds(120), 10, "/private/tmp/vpn.Q1w2E3/vpndownloader.app/Contents/MacOS/vpndownloader",
                    "com.cisco.anyconnect", "dl", "Default", "download finished"));
        }
        return f;
    }

    @Test
    void ndjsonFromExportWithFilters(@TempDir Path tmp) throws Exception {
        Path f = export(tmp, LogExportWriter.Style.JSON);
        Out r = run(new LogCommand(), "--ndjson", "--process", "vpn*", f.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode n = new ObjectMapper().readTree(lines.get(1));
        assertEquals("download finished", n.get("eventMessage").asText());
        assertEquals("2024-05-06 07:10:09.123456+0000", n.get("timestamp").asText());
        assertEquals(10, n.get("processID").asInt());
        assertTrue(r.err().contains("read 3"), r.err());
        Out t = run(new LogCommand(), "--since", "2024-05-06T07:09:00Z", "--until", "2024-05-06T07:10:00Z", "--path",
                "/usr/libexec/*", f.toString());
        assertEquals(0, t.code(), t.err());
        assertEquals(1, t.out().lines().count(), t.out());
        assertTrue(t.out().contains("syspolicyd: [com.apple.syspolicy:exec] assessment denied"), t.out());
    }

    @Test
    void textAndNdjsonExports(@TempDir Path tmp) throws Exception {
        for (LogExportWriter.Style s : List.of(LogExportWriter.Style.TEXT, LogExportWriter.Style.NDJSON)) {
            Out r = run(new LogCommand(), export(tmp, s).toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(3, r.out().lines().count(), r.out());
        }
    }

    @Test
    void badTimeIsAUsageError(@TempDir Path tmp) throws Exception {
        Out r = run(new LogCommand(), "--since", "yesterday", export(tmp, LogExportWriter.Style.JSON).toString());
        assertTrue(r.code() != 0);
    }

    @Tag("corpus")
    @Test
    void ndjsonFromTracev3Store() throws Exception {
        Path store = Corpus.file("unified-logs/plaso_AUL/private/var/db/Diagnostics");
        // a diagnostics folder whose uuidtext sits beside it: open through the evidence folder instead
        Out r = run(new LogCommand(), "--ndjson", Corpus.file("unified-logs/plaso_AUL").toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper m = new ObjectMapper();
        long n = 0;
        for (String line : r.out().lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode o = m.readTree(line);
            for (String f : List.of("timestamp", "eventMessage", "processID", "processImagePath", "processImageUUID",
                    "subsystem", "category", "messageType", "traceID")) {
                assertTrue(o.has(f), f + " missing in " + line);
            }
            n++;
        }
        assertTrue(r.err().contains("emitted " + n + ","), r.err());
        // the diagnostics folder itself: its sibling uuidtext folder is used, so the same events decode
        Out direct = run(new LogCommand(), "--ndjson", store.toString());
        assertEquals(0, direct.code(), direct.err());
        // identical apart from the provenance, which names the folder given
        assertEquals(r.out().replaceAll(",\"vestigeSource\":\"[^\"]*\"", ""),
                direct.out().replaceAll(",\"vestigeSource\":\"[^\"]*\"", ""));
    }

    @Test
    void fseventsFolderAndJson(@TempDir Path tmp) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(".fseventsd"));
        List<FseventsWriter.Record> recs = List.of(
                new FseventsWriter.Record("private/tmp/vpn.Q1w2E3", 100, FseventsWriter.CREATED | FseventsWriter.IS_DIR, 7),
                new FseventsWriter.Record("private/tmp/vpn.Q1w2E3", 101, FseventsWriter.REMOVED | FseventsWriter.IS_DIR, 7));
        Files.write(d.resolve(FseventsWriter.fileName(recs)), FseventsWriter.gzip(FseventsWriter.pages(2, recs, 10)));
        Out r = run(new FseventsCommand(), "--json", tmp.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size());
        JsonNode o = new ObjectMapper().readTree(lines.get(1));
        assertEquals("Removed", o.get("flagNames").get(0).asText());
        assertEquals(101, o.get("eventId").asInt());
        Out t = run(new FseventsCommand(), d.resolve(FseventsWriter.fileName(recs)).toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("Created|IsDir"), t.out());
        assertTrue(t.err().contains("2 records"), t.err());
    }

    @Tag("corpus")
    @Test
    void fseventsCorpusFile() throws Exception {
        Out r = run(new FseventsCommand(), Corpus.file("fsevents/puffycid_Malformed_malformed").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("INCOMPLETE") || r.err().contains("WARNING"), r.err());
    }
}
