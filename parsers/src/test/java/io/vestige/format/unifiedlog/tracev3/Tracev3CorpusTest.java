package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real tracev3 stores. Where no independent tool output exists the tests assert invariants that a
 * wrong reader would break: every chunk consumed without a decode error, every record attached to a
 * catalog process, every resolved format rendered with all its arguments, every unresolved one
 * naming a uuidtext/dsc file that is really absent, and times inside the boot's range.
 */
@Tag("corpus")
class Tracev3CorpusTest {
    record Run(List<LogEvent> events, DecodeStats stats, Diagnostics diags) {
    }

    static Run store(String dir, String diag, String uuid) throws Exception {
        DirectoryFileSystem fs = DirectoryFileSystem.of(Corpus.file(dir));
        try (UnifiedLogStore st = UnifiedLogStore.open(fs, diag, uuid)) {
            Diagnostics d = new Diagnostics();
            List<LogEvent> ev = new ArrayList<>();
            DecodeStats s = st.read(ev::add, d);
            return new Run(ev, s, d);
        }
    }

    static Run file(byte[] bytes, String name) throws Exception {
        Diagnostics d = new Diagnostics();
        List<LogEvent> ev = new ArrayList<>();
        DecodeStats s = UnifiedLogStore.readFile(ByteSources.wrap(bytes, name), EvidencePath.ofFile(name), null, ev::add, d);
        return new Run(ev, s, d);
    }

    static void noDamage(Run r) {
        assertEquals(0, r.stats().decodeErrors(), r.diags().list().toString());
        for (Diagnostic x : r.diags().list()) {
            assertEquals(Diagnostic.Severity.INFO, x.severity(), x.toString());
        }
    }

    static final Pattern COMPOSE = Pattern.compile("<compose failure \\[UUID ([0-9A-F]{32})\\]>");

    /** Invariants over a decoded store; {@code uuidtextDir} is the folder the strings come from. */
    static void invariants(Run r, Path uuidtextDir) {
        noDamage(r);
        assertEquals(r.stats().eventsEmitted(), r.events().size());
        for (LogEvent e : r.events()) {
            assertNotNull(e.processID(), "no catalog process for " + e.source());
            assertNotNull(e.timestamp(), e.source().toString());
            assertNotNull(e.eventMessage(), e.source().toString());
            if ("logEvent".equals(e.eventType()) || "signpostEvent".equals(e.eventType())) {
                assertEquals(e.eventType().equals("logEvent") ? 4 : 6, (int) (e.traceID() & 0xff));
            }
            if (e.formatString() != null) {
                assertFalse(e.eventMessage().contains("<decode: missing data>"), e.formatString() + " -> " + e.eventMessage() + " " + e.source() + " flags 0x" + Long.toHexString((e.traceID() >>> 16) & 0xffff) + " " + e);
            }
            Matcher m = COMPOSE.matcher(e.eventMessage());
            if (m.matches()) {
                String h = m.group(1);
                boolean uuidtext = Files.exists(uuidtextDir.resolve(h.substring(0, 2)).resolve(h.substring(2)));
                boolean dsc = Files.exists(uuidtextDir.resolve("dsc").resolve(h));
                assertFalse(uuidtext && dsc, h);
                // the named file is absent, or present but without this string (dsc sample of dtformats is partial)
                if (uuidtext) {
                    throw new AssertionError("format string missing although uuidtext " + h + " exists: " + e.source());
                }
            }
        }
    }

    @Test
    void dtformatsSmallFile() throws Exception {
        byte[] b = Files.readAllBytes(Corpus.file("unified-logs/dtformats/0000000000000030.tracev3"));
        Tracev3Header h = Tracev3Header.parse(java.util.Arrays.copyOf(b, 0xe0), 0);
        // values read from the bytes with xxd
        assertEquals(1, h.timebaseNumerator());
        assertEquals(1, h.timebaseDenominator());
        assertEquals(UUID.fromString("e955fe07-ab9d-48ec-a851-97ac5c611182"), h.bootUuid());
        assertEquals(58, h.logdPid());
        assertEquals("18D42", h.build());
        assertEquals("Macmini7,1", h.hardwareModel());
        assertEquals("/var/db/timezone/zoneinfo/Europe/Zurich", h.timezonePath());
        assertEquals(-60, h.biasMinutes());
        assertEquals(0x5c4d759dL, h.wallSeconds());
        Run r = file(b, "0000000000000030.tracev3");
        noDamage(r);
        assertFalse(r.events().isEmpty());
        Instant wall = Instant.ofEpochSecond(h.wallSeconds(), h.wallMicros() * 1000);
        for (LogEvent e : r.events()) {
            assertEquals("com.apple.AssetCache", e.subsystem()); // the only subsystem string in the catalog (xxd)
            assertEquals("builtin", e.category());
            assertTrue(!e.timestamp().isBefore(wall) && e.timestamp().isBefore(wall.plus(Duration.ofHours(1))), e.timestamp().toString());
            // exact timebase 1/1: wall = header wall + (ct - header ct) ns
            long ns = (e.machTimestamp() - h.continuousTime());
            assertEquals(wall.plusNanos(ns), e.timestamp());
        }
    }

    @Test
    void dtformatsFolder() throws Exception {
        Run r = store("unified-logs/dtformats", "/", "/uuidtext");
        invariants(r, Corpus.file("unified-logs/dtformats/uuidtext"));
        Instant lo = Instant.parse("2019-01-01T00:00:00Z");
        Instant hi = Instant.parse("2022-12-31T00:00:00Z");
        assertTrue(r.events().stream().allMatch(e -> e.timestamp().isAfter(lo) && e.timestamp().isBefore(hi)));
        assertTrue(r.stats().eventsEmitted() > 8000, r.stats().summary());
    }

    @Test
    void logarchiveLayoutGivesTheSameEvents(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path db = Corpus.file("unified-logs/plaso_AUL/private/var/db");
        // a .logarchive holds the diagnostics folders and the uuidtext folders side by side at its top
        Path arch = tmp.resolve("system_logs.logarchive");
        OversizeCorpusTest.copyTree(db.resolve("Diagnostics"), arch);
        OversizeCorpusTest.copyTree(db.resolve("uuidtext"), arch);
        Files.write(arch.resolve("Special").resolve("._0000000000000001.tracev3"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
        List<LogEvent> ev = new ArrayList<>();
        Diagnostics d = new Diagnostics();
        DecodeStats s;
        List<DecodeStats> perFile;
        try (UnifiedLogStore st = UnifiedLogStore.openLogarchive(arch)) {
            s = st.read(ev::add, d);
            perFile = st.perFileStats();
            assertEquals(2, st.tracev3Files().size()); // the AppleDouble file is skipped
        }
        Run r = store("unified-logs/plaso_AUL", "/private/var/db/diagnostics", "/private/var/db/uuidtext");
        assertEquals(r.stats().eventsEmitted(), s.eventsEmitted());
        assertEquals(r.stats().fullyDecoded(), s.fullyDecoded());
        assertEquals(r.stats().missingFormatStrings(), s.missingFormatStrings());
        assertEquals(2, perFile.size());
        assertEquals(s.eventsEmitted(), perFile.stream().mapToLong(DecodeStats::eventsEmitted).sum());
        assertEquals(s.entriesRead(), perFile.stream().mapToLong(DecodeStats::entriesRead).sum());
        assertTrue(perFile.get(0).source().contains("Special"), perFile.toString());
    }

    @Test
    void plasoMonterey() throws Exception {
        Path uuidtext = Corpus.file("unified-logs/plaso_AUL/private/var/db/uuidtext");
        Run r = store("unified-logs/plaso_AUL", "/private/var/db/diagnostics", "/private/var/db/uuidtext");
        invariants(r, uuidtext);
        DecodeStats s = r.stats();
        assertTrue(s.fullyDecoded() > 1000, s.summary());
        // the shared-cache strings file BE7FE6AD… is missing from the collection (MANIFEST): every
        // shared-cache record is a compose failure naming it
        assertTrue(r.events().stream().anyMatch(e -> e.eventMessage().equals("<compose failure [UUID BE7FE6AD45603AE2883E432F78B45062]>")));
        // both stores seen, Special and Signpost
        assertTrue(r.events().stream().anyMatch(e -> e.source().toString().contains("/Special/")));
        assertTrue(r.events().stream().anyMatch(e -> e.source().toString().contains("/Signpost/")));
        assertTrue(r.events().stream().anyMatch(e -> "signpostEvent".equals(e.eventType()) && e.signpostID() != null));
        // boot UUID of the timesync file (xxd @ 8); all events inside the collection's boot
        UUID boot = UUID.fromString("dca6f382-13f5-4a21-bf2b-4f1be8b136bd");
        assertTrue(r.events().stream().allMatch(e -> boot.equals(e.bootUUID())));
        // timesync boot wall time (xxd @ 32: 0x17396bdc5a137e30 ns) bounds the first event from below
        Instant bootWall = Instant.ofEpochSecond(0, 0x17396bdc5a137e30L);
        assertTrue(r.events().stream().allMatch(e -> !e.timestamp().isBefore(bootWall)
                && e.timestamp().isBefore(bootWall.plus(Duration.ofHours(1)))));
        assertTrue(r.events().stream().filter(e -> "logEvent".equals(e.eventType())).allMatch(e -> e.timezoneName() != null));
        // FORMATS §6.5 recomputed here from the raw timesync bytes (one boot record, then 32-byte Ts records):
        // wall = wall(last sync <= ct) + (ct - ct(sync)) * 125 / 3, in exact integer maths
        byte[] ts = Files.readAllBytes(Corpus.file("unified-logs/plaso_AUL/private/var/db/Diagnostics/timesync/0000000000000002.timesync"));
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(ts).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(125, bb.getInt(24));
        assertEquals(3, bb.getInt(28));
        List<long[]> syncs = new ArrayList<>();
        for (int o = 48; o + 32 <= ts.length; o += 32) {
            syncs.add(new long[] {bb.getLong(o + 8), bb.getLong(o + 16)});
        }
        assertEquals(4, syncs.size());
        for (LogEvent e : r.events()) {
            long ct = e.machTimestamp();
            long[] ref = syncs.get(0);
            for (long[] x : syncs) {
                if (x[0] <= ct) {
                    ref = x;
                }
            }
            java.math.BigInteger ns = java.math.BigInteger.valueOf(ct - ref[0]).multiply(java.math.BigInteger.valueOf(125))
                    .divide(java.math.BigInteger.valueOf(3)).add(java.math.BigInteger.valueOf(ref[1]));
            if (ct < ref[0]) {
                continue; // before the first sync record (floor vs truncation differ for negative deltas)
            }
            Instant expect = Instant.ofEpochSecond(0, ns.longValueExact());
            assertEquals(expect, e.timestamp(), e.source().toString());
        }
        LogEvent known = r.events().stream().filter(e -> "main: Launching at high priority".equals(e.eventMessage()))
                .findFirst().orElseThrow();
        assertEquals("/usr/libexec/mobileassetd", known.processImagePath());
        assertEquals("%{public}s: %{public}@", known.formatString());
    }
}
