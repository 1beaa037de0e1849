package io.vestige.format.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.fixtures.logs.QuarantineWriter;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {
    static final UUID ID = UUID.fromString("E2B0A1C2-1111-4222-8333-944455556666");

    @Test
    void xattrFromWriter() throws Exception {
        Instant t = Instant.parse("2020-07-24T18:35:41Z");
        QuarantineXattr x = QuarantineXattr.parse(QuarantineWriter.xattr(0x0083, t, "Safari", ID));
        assertEquals(0x83, x.flags());
        assertEquals(List.of("Download", "Sandbox", "Translocate"), x.flagNames());
        assertEquals(t, x.time());
        assertEquals("Safari", x.agent());
        assertEquals(ID, x.eventId());
    }

    @Test
    void xattrLiteral() throws Exception {
        // value as shown by xattr -p on a real download; 0x5f1b2c3d = 1595616317 = 2020-07-24T18:45:17Z
        QuarantineXattr x = QuarantineXattr.parse("0081;5f1b2c3d;Google Chrome;\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2020-07-24T18:45:17Z"), x.time());
        assertEquals("Google Chrome", x.agent());
        assertNull(x.eventId());
        assertEquals(List.of("Download", "Translocate"), x.flagNames());
        assertEquals(List.of("UserApproved", "0x8000"), QuarantineXattr.parse("8040;;;".getBytes(StandardCharsets.UTF_8)).flagNames());
    }

    @Test
    void xattrMalformed() throws Exception {
        assertThrows(MalformedException.class, () -> QuarantineXattr.parse("zz;1;a;b".getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedException.class, () -> QuarantineXattr.parse(new byte[0]));
        assertThrows(MalformedException.class, () -> QuarantineXattr.parse("0083".getBytes(StandardCharsets.UTF_8)));
        assertNull(QuarantineXattr.parse("0083;7fffffffffffffff;x;".getBytes(StandardCharsets.UTF_8)).time());
    }

    @Test
    void databaseAndJoin(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("QuarantineEventsV2");
        Instant t = Instant.parse("2024-03-04T05:06:07.250Z");
        UUID other = UUID.randomUUID();
        QuarantineWriter.database(db, List.of(
                new QuarantineWriter.Event(ID, t, "Safari", "com.apple.Safari",
                        "https://disthost.umbrella.com/roaming/upgrade/mac_anyconnect/production/x.dmg",
                        "https://example.com/", null, 0),
                new QuarantineWriter.Event(other, t.minusSeconds(60), "curl", null, "http://evil.example/a", null, "Bob", 3)));
        byte[] bytes = Files.readAllBytes(db);
        QuarantineEventsDb q = QuarantineEventsDb.read(ByteSources.wrap(bytes, "QuarantineEventsV2"),
                EvidencePath.ofFile("QuarantineEventsV2"), ParseLimits.defaults());
        assertEquals(2, q.events().size());
        QuarantineEvent first = q.events().get(0);
        assertEquals(t.minusSeconds(60), first.timeStamp());
        assertEquals("Bob", first.senderName());
        assertEquals(3L, first.typeNumber());
        QuarantineXattr x = QuarantineXattr.parse(QuarantineWriter.xattr(0x83, t, "Safari", ID));
        QuarantineEvent joined = q.lookup(x).orElseThrow();
        assertEquals("https://disthost.umbrella.com/roaming/upgrade/mac_anyconnect/production/x.dmg", joined.dataURLString());
        assertEquals("com.apple.Safari", joined.agentBundleIdentifier());
        assertEquals(t, joined.timeStamp());
        assertTrue(joined.source().toString().contains("LSQuarantineEvent rowid"));
        assertTrue(q.lookup(UUID.randomUUID()).isEmpty());
        // the evidence copy is the only thing SQLite saw: the original bytes are unchanged
        assertEquals(java.util.Arrays.hashCode(bytes), java.util.Arrays.hashCode(Files.readAllBytes(db)));
    }

    @Test
    void findAllHomes(@TempDir Path tmp) throws Exception {
        Path prefs = Files.createDirectories(tmp.resolve("Users/alice/Library/Preferences"));
        QuarantineWriter.database(prefs.resolve("com.apple.LaunchServices.QuarantineEventsV2"), List.of(
                new QuarantineWriter.Event(ID, Instant.parse("2024-01-01T00:00:00Z"), "Safari", "com.apple.Safari", "https://a/b",
                        null, null, 0)));
        Files.createDirectories(tmp.resolve("Users/bob/Library"));
        Files.createDirectories(tmp.resolve("Users/Shared"));
        io.vestige.io.Diagnostics d = new io.vestige.io.Diagnostics();
        var all = QuarantineEventsDb.findAll(io.vestige.format.dir.DirectoryFileSystem.of(tmp), ParseLimits.defaults(), d);
        assertEquals(List.of("/Users/alice/Library/Preferences/com.apple.LaunchServices.QuarantineEventsV2"),
                List.copyOf(all.keySet()));
        assertEquals("https://a/b", all.values().iterator().next().lookup(ID).orElseThrow().dataURLString());
        assertTrue(d.isEmpty());
    }

    @Test
    void notSqlite() {
        assertThrows(BadMagicException.class, () -> QuarantineEventsDb.read(ByteSources.wrap(new byte[100]),
                EvidencePath.ofFile("x"), ParseLimits.defaults()));
    }

    @Test
    void macAbsoluteTime() {
        assertEquals(Instant.parse("2001-01-01T00:00:00Z"), QuarantineEventsDb.macTime(0));
        assertEquals(Instant.parse("2024-03-04T05:06:07.250Z"), QuarantineEventsDb.macTime(731221567.25));
        assertNull(QuarantineEventsDb.macTime(Double.NaN));
    }
}
