package io.vestige.format.unifiedlog.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.fixtures.logs.ExportEvent;
import io.vestige.fixtures.logs.LogExportWriter;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.UnsupportedFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LogExportReaderTest {
    static final ZoneOffset PST = ZoneOffset.ofHours(-8);
    static final Instant T0 = Instant.parse("2024-01-02T11:04:05.123456Z");

    static List<ExportEvent> sample() {
        List<ExportEvent> l = new ArrayList<>();
        l.add(ExportEvent.log(T0, 123, "/private/tmp/vpn.abc/vpndownloader.app/Contents/MacOS/vpndownloader",
                "com.cisco.anyconnect", "downloader", "Default", "Downloading \"update\" from https://disthost.umbrella.com/x"));
        l.add(ExportEvent.log(T0.plusMillis(1500), 77, "/usr/libexec/syspolicyd", "com.apple.syspolicy.exec", "default",
                "Error", "line one\nline two\n\tline three").withTraceID(0xF000000000000001L).withThread(0xdeadbeefL, 0x1234));
        l.add(ExportEvent.log(T0.plusSeconds(3600), 1, "/sbin/launchd", null, null, "Fault", "plain"));
        return l;
    }

    static byte[] write(LogExportWriter.Style style, List<ExportEvent> events, String filter) throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (LogExportWriter w = new LogExportWriter(bo, style, PST, filter)) {
            for (ExportEvent e : events) {
                w.write(e);
            }
        }
        return bo.toByteArray();
    }

    static List<LogEvent> read(byte[] b, Diagnostics d, DecodeStats[] stats) throws Exception {
        List<LogEvent> out = new ArrayList<>();
        DecodeStats s = LogExportReader.read(ByteSources.wrap(b, "export"), EvidencePath.ofFile("export"), out::add, d);
        if (stats != null) {
            stats[0] = s;
        }
        return out;
    }

    @Test
    void jsonWithPreamble() throws Exception {
        byte[] b = write(LogExportWriter.Style.JSON, sample(), "process == \"vpndownloader\"");
        assertEquals(LogExportReader.Style.JSON, LogExportReader.detect(ByteSources.wrap(b)).style());
        Diagnostics d = new Diagnostics();
        DecodeStats[] s = new DecodeStats[1];
        List<LogEvent> ev = read(b, d, s);
        assertEquals(3, ev.size(), d.list().toString());
        assertTrue(d.isEmpty(), d.list().toString());
        checkSample(ev, true);
        assertEquals(3, s[0].entriesRead());
        assertEquals(3, s[0].eventsEmitted());
        assertTrue(ev.get(0).source().toString().contains("offset 0x"), ev.get(0).source().toString());
    }

    @Test
    void ndjson() throws Exception {
        byte[] b = write(LogExportWriter.Style.NDJSON, sample(), null);
        assertEquals(LogExportReader.Style.NDJSON, LogExportReader.detect(ByteSources.wrap(b)).style());
        List<LogEvent> ev = read(b, new Diagnostics(), null);
        checkSample(ev, true);
        assertEquals("export › line 2", ev.get(1).source().toString());
    }

    @Test
    void text() throws Exception {
        byte[] b = write(LogExportWriter.Style.TEXT, sample(), "process == \"x\"");
        assertEquals(LogExportReader.Style.TEXT, LogExportReader.detect(ByteSources.wrap(b)).style());
        Diagnostics d = new Diagnostics();
        List<LogEvent> ev = read(b, d, null);
        assertTrue(d.isEmpty(), d.list().toString());
        checkSample(ev, false);
        assertEquals("vpndownloader", ev.get(0).extra().get("processName"));
        assertEquals(0xdeadbeefL, ev.get(1).threadID());
        assertEquals(0x1234L, ev.get(1).activityIdentifier());
        assertNull(ev.get(2).subsystem());
    }

    private static void checkSample(List<LogEvent> ev, boolean json) {
        assertEquals(3, ev.size());
        LogEvent a = ev.get(0);
        assertEquals(T0, a.timestamp());
        assertEquals(123L, a.processID());
        assertEquals("com.cisco.anyconnect", a.subsystem());
        assertEquals("downloader", a.category());
        assertEquals("Default", a.messageType());
        assertEquals("Downloading \"update\" from https://disthost.umbrella.com/x", a.eventMessage());
        LogEvent b = ev.get(1);
        assertEquals("line one\nline two\n\tline three", b.eventMessage());
        assertEquals(T0.plusMillis(1500), b.timestamp());
        assertEquals("Error", b.messageType());
        assertEquals(Instant.parse("2024-01-02T12:04:05.123456Z"), ev.get(2).timestamp());
        if (json) {
            assertEquals("0xf000000000000001", "0x" + Long.toHexString(b.traceID()));
            assertEquals("/usr/libexec/syspolicyd", b.processImagePath());
            assertEquals(UUID.nameUUIDFromBytes("/usr/libexec/syspolicyd".getBytes(StandardCharsets.UTF_8)), b.processImageUUID());
            assertEquals(new UUID(0x1122334455667788L, 0x99aabbccddeeff00L), b.bootUUID());
            assertEquals(0xdeadbeefL, b.threadID());
            assertEquals(501L, b.userID());
            assertEquals("America/Los_Angeles", b.timezoneName());
            assertEquals("logEvent", b.eventType());
        }
    }

    @Test
    void unsignedIdsAboveTwoToThe63AreExact() throws Exception {
        String j = "[{\"traceID\" : 18446744073709551615, \"threadID\" : 9007199254740993, \"timestamp\" : \"2024-01-02 03:04:05.000001+0000\","
                + " \"eventMessage\" : \"x\", \"signpostID\" : 17216892719917625342, \"lossCount\" : 12345678901234567890123}]";
        List<LogEvent> ev = read(j.getBytes(StandardCharsets.UTF_8), new Diagnostics(), null);
        assertEquals("18446744073709551615", Long.toUnsignedString(ev.get(0).traceID()));
        assertEquals(9007199254740993L, ev.get(0).threadID());
        assertEquals("17216892719917625342", Long.toUnsignedString(ev.get(0).signpostID()));
        assertEquals(new java.math.BigInteger("12345678901234567890123"), ev.get(0).extra().get("lossCount"));
        assertEquals(Instant.parse("2024-01-02T03:04:05.000001Z"), ev.get(0).timestamp());
    }

    @Test
    void truncatedJsonKeepsEventsRead() throws Exception {
        byte[] b = write(LogExportWriter.Style.JSON, sample(), null);
        String s = new String(b, StandardCharsets.UTF_8);
        int cut = s.indexOf("},{", s.indexOf("},{") + 3) + 40; // inside the third object
        Diagnostics d = new Diagnostics();
        DecodeStats[] st = new DecodeStats[1];
        List<LogEvent> ev = read(s.substring(0, cut).getBytes(StandardCharsets.UTF_8), d, st);
        assertEquals(2, ev.size());
        assertFalse(d.isEmpty());
        assertEquals(1, st[0].decodeErrors());
    }

    @Test
    void badNdjsonLineIsSkipped() throws Exception {
        byte[] b = write(LogExportWriter.Style.NDJSON, sample(), null);
        String s = new String(b, StandardCharsets.UTF_8);
        String[] lines = s.split("\n");
        String damaged = lines[0] + "\n{\"traceID\":1, broken\n" + lines[1] + "\n" + lines[2] + "\n";
        Diagnostics d = new Diagnostics();
        List<LogEvent> ev = read(damaged.getBytes(StandardCharsets.UTF_8), d, null);
        assertEquals(3, ev.size());
        assertEquals(1, d.list().size());
        assertTrue(d.list().get(0).structure().contains("line 2"));
    }

    @Test
    void unclosedNdjsonObjectCostsItsLines() throws Exception {
        String t = "{\"eventMessage\":\"a\"}\n{\"eventMessage\":\"b\"\n{\"eventMessage\":\"c\"}\n[1]\n{\"eventMessage\":\"d\"}\n";
        Diagnostics d = new Diagnostics();
        DecodeStats[] st = new DecodeStats[1];
        List<LogEvent> ev = read(t.getBytes(StandardCharsets.UTF_8), d, st);
        assertEquals(List.of("a", "d"), ev.stream().map(LogEvent::eventMessage).toList());
        assertEquals("export › line 5", ev.get(1).source().toString());
        assertEquals(2, d.list().size(), d.list().toString());
        assertTrue(d.list().get(0).structure().endsWith("line 2-3"), d.list().toString());
        assertTrue(d.list().get(1).structure().endsWith("line 4"), d.list().toString());
        assertEquals(2, st[0].decodeErrors());
    }

    @Test
    void hugeHexThreadIdInText() throws Exception {
        String t = "Timestamp                       Thread     Type        Activity             PID    TTL  \n"
                + "2024-01-02 03:04:05.000000+0000 0x1234567890abcdef12 Default     0x0                  1      0    p: m\n";
        List<LogEvent> ev = read(t.getBytes(StandardCharsets.UTF_8), new Diagnostics(), null);
        assertEquals(1, ev.size());
        assertNull(ev.get(0).threadID());
        assertEquals("0x1234567890abcdef12", ev.get(0).extra().get("threadText"));
    }

    @Test
    void notAnExport() {
        byte[] junk = new byte[4096];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 7 + 1);
        }
        assertThrows(UnsupportedFormatException.class, () -> LogExportReader.detect(ByteSources.wrap(junk)));
    }

    @Test
    void deeplyNestedJsonFailsCleanly() throws Exception {
        String j = "[{\"eventMessage\":\"a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}]";
        Diagnostics d = new Diagnostics();
        List<LogEvent> ev = read(j.getBytes(StandardCharsets.UTF_8), d, null);
        assertEquals(0, ev.size());
        assertEquals(1, d.list().size());
    }

    @Test
    void timestampForms() {
        assertEquals(Instant.parse("2024-01-02T11:04:05.123456Z"), LogTimestamps.parse("2024-01-02 03:04:05.123456-0800"));
        assertEquals(Instant.parse("2024-01-01T21:34:05.1Z"), LogTimestamps.parse("2024-01-02 03:04:05.1+05:30"));
        assertEquals(Instant.parse("2024-01-02T03:04:05.123456789Z"), LogTimestamps.parse("2024-01-02T03:04:05.123456789Z"));
        assertThrows(IllegalArgumentException.class, () -> LogTimestamps.parse("2024-13-02 03:04:05"));
        assertThrows(IllegalArgumentException.class, () -> LogTimestamps.parse("yesterday"));
    }
}
