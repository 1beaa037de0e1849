package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --timezone} changes what report.html shows, never the data files. */
class TimezoneTest {
    static io.vestige.reports.HtmlView view(String zone) {
        return new io.vestige.reports.HtmlView(new io.vestige.reports.Report("vestige-report/1", null, "1970-01-01T00:00:00Z",
                null, java.util.List.of(), java.util.List.of(), java.util.List.of(), null, java.util.List.of(),
                java.util.Map.of(), zone));
    }

    @Test
    void formatterKeepsPrecisionAndFollowsDaylightSaving() {
        io.vestige.reports.HtmlView berlin = view("Europe/Berlin");
        // 3 June 2024 is summer time in Berlin (CEST, UTC+2); 1 January is CET, UTC+1.
        assertEquals("2024-06-03 11:14:07.123456789 +02:00", berlin.time("2024-06-03T09:14:07.123456789Z"));
        assertEquals("2024-01-01 01:00:00 +01:00", berlin.time("2024-01-01T00:00:00Z"));
        assertEquals("2024-06-03 11:14:07.120 +02:00", berlin.time("2024-06-03T09:14:07.120Z"));
        assertEquals("2024-06-03 11:14:07.123456 +02:00", berlin.time("2024-06-03T09:14:07.123456Z"));
        assertEquals("not a time", berlin.time("not a time"));
        assertEquals("\u2014", berlin.time(null));
        assertEquals("2024-06-03 09:14:07 +00:00", view("UTC").time("2024-06-03T09:14:07Z"));
        assertEquals("2024-06-02 23:44:07 -09:30", view("Pacific/Marquesas").time("2024-06-03T09:14:07Z"));
        assertEquals("Europe/Berlin", berlin.zoneName());
    }

    @Test
    void invalidZoneIsAUsageError(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", tmp.resolve("o").toString(),
                "--timezone", "Mars/Olympus_Mons");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("unknown time zone"), r.err());
    }

    @Test
    void zoneChangesHtmlButNotData(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        Path utc = tmp.resolve("utc");
        Path berlin = tmp.resolve("berlin");
        assertEquals(0, CliTestSupport.run("analyze", ev.toString(), "--out", utc.toString(), "--reproducible").exit());
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", berlin.toString(), "--reproducible",
                "--timezone", "Europe/Berlin");
        assertEquals(0, r.exit(), r.err());
        ObjectMapper m = new ObjectMapper();
        JsonNode a = m.readTree(utc.resolve("report.json").toFile());
        JsonNode b = m.readTree(berlin.resolve("report.json").toFile());
        assertEquals(a.get("timeline"), b.get("timeline"));
        assertEquals(a.get("findings"), b.get("findings"));
        assertEquals("Europe/Berlin", b.get("displayZone").asText());
        assertEquals("UTC", a.get("displayZone").asText());
        boolean seen = false;
        for (JsonNode e : b.get("timeline")) {
            seen |= e.get("timestamp").asText().equals("2024-03-01T10:00:00.123456789Z");
        }
        assertTrue(seen, "timeline timestamps stay UTC ISO-8601");
        assertEquals(Files.readString(utc.resolve("timeline.jsonl")), Files.readString(berlin.resolve("timeline.jsonl")));
        assertEquals(Files.readString(utc.resolve("timeline.csv")), Files.readString(berlin.resolve("timeline.csv")));

        String hu = Files.readString(utc.resolve("report.html"), StandardCharsets.UTF_8);
        String hb = Files.readString(berlin.resolve("report.html"), StandardCharsets.UTF_8);
        assertNotEquals(hu, hb);
        // 1 March 2024 is winter time in Berlin: CET, UTC+1.
        assertTrue(hb.contains("2024-03-01 11:00:00.123456789 +01:00"), "Berlin time in the HTML");
        assertFalse(hb.contains("2024-03-01 10:00:00.123456789 +00:00"));
        assertTrue(hb.contains("Times shown in Europe/Berlin; data files are in UTC"));
        assertTrue(hu.contains("2024-03-01 10:00:00.123456789 +00:00"));
        assertTrue(hu.contains("Times shown in UTC; data files are in UTC"));
    }
}
