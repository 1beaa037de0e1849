package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * uuidtext, dsc and timesync files of the corpus. Expected values are those asserted by
 * libyal/dtformats' own tests ({@code tests/unified_logging.py}) or read from the bytes with xxd.
 */
@Tag("corpus")
class StringFilesCorpusTest {

    @Test
    void dscVersion1() throws Exception {
        SharedCacheStrings d = SharedCacheStrings.parse(Files.readAllBytes(Corpus.file("unified-logs/dtformats/uuidtext/dsc/dsc-version1")),
                ParseLimits.defaults());
        assertEquals(1, d.version());
        assertEquals(252, d.rangesInFileOrder().size());
        assertEquals(196, d.images().size());
        assertEquals(1756712, d.rangesInFileOrder().get(64).rangeOffset());
        assertEquals(3834, d.rangesInFileOrder().get(64).size());
        assertEquals(9191424, d.images().get(42).textOffset());
        assertEquals(223732, d.images().get(42).textSize());
        assertEquals("/System/Library/Extensions/AppleH8ADBE0.kext/AppleH8ADBE0", d.images().get(42).path());
        // every range string resolves and belongs to an image
        for (SharedCacheStrings.Range r : d.rangesInFileOrder()) {
            SharedCacheStrings.Hit h = d.lookup(r.rangeOffset());
            assertTrue(h != null && h.image() != null, "range " + r);
        }
    }

    @Test
    void dscVersion2() throws Exception {
        SharedCacheStrings d = SharedCacheStrings.parse(Files.readAllBytes(Corpus.file("unified-logs/dtformats/uuidtext/dsc/dsc-version2")),
                ParseLimits.defaults());
        assertEquals(2, d.version());
        assertEquals(263, d.rangesInFileOrder().size());
        assertEquals(200, d.images().size());
        assertEquals(64272, d.rangesInFileOrder().get(10).dataOffset());
        assertEquals(194710, d.rangesInFileOrder().get(10).rangeOffset());
        assertEquals(39755, d.rangesInFileOrder().get(10).size());
        assertEquals(26816512, d.images().get(197).textOffset());
        assertEquals(43736, d.images().get(197).textSize());
        assertEquals("/System/Library/Extensions/AppleD2207PMU.kext/AppleD2207PMU", d.images().get(197).path());
    }

    @Test
    void damagedDscSampleDoesNotBreakReading() throws Exception {
        // dtformats notes that this 205-byte sample fails its own reader; it lists a range of 0x1894 bytes
        // but holds only the first string (xxd: "%s Unknown app vocabulary type - %@" at 0x38)
        SharedCacheStrings d = SharedCacheStrings.parse(Files.readAllBytes(
                Corpus.file("unified-logs/dtformats/uuidtext/dsc/8E21CAB1DCF936B49F85CF860E6F34EC")), ParseLimits.defaults());
        assertEquals("%s Unknown app vocabulary type - %@", d.lookup(0x48a40).string());
        assertNull(d.lookup(0x48a40 + 0x1000)); // points past the end of the file
    }

    @Test
    void uuidtext() throws Exception {
        Uuidtext a = Uuidtext.parse(Files.readAllBytes(Corpus.file("unified-logs/dtformats/uuidtext/00/7EF56328D53A78B59CCCE3E3189F57")),
                ParseLimits.defaults());
        assertEquals(1, a.entryCount());
        assertEquals("system.install.apple-software", a.stringAt(0x5591)); // xxd: range start 0x5591, size 0x360
        assertNull(a.stringAt(0x5591 + 0x360));
        assertTrue(a.imagePath().endsWith("/Contents/MacOS/com.apple.PhotoThemeService"));
        Uuidtext b = Uuidtext.parse(Files.readAllBytes(Corpus.file("unified-logs/dtformats/uuidtext/22/0D3C2953A33917B333DD8366AC25F2")),
                ParseLimits.defaults());
        assertEquals(0, b.entryCount());
        assertEquals("/usr/libexec/lsd", b.imagePath());
    }

    @Test
    void timesync() throws Exception {
        Timesync t = new Timesync();
        assertEquals(0, t.add(Files.readAllBytes(Corpus.file("unified-logs/dtformats/timesync/0000000000000002.timesync")), 0));
        // a sequential walk (python, 48-byte b0bb / 32-byte Ts records) finds 5 boot records and 4089 sync
        // records that tile the 131088 bytes exactly
        assertEquals(5, t.size());
        // boot UUID from xxd at offset 8
        Timesync.Boot b = t.boot(UUID.fromString("fe7da8c6-4f59-4893-8607-ebc45b775c80"));
        assertEquals(125, b.numer);
        assertEquals(3, b.denom);
        assertEquals(1541730321839294000L, b.bootWallNs);
        assertEquals(494027973L, b.syncs.get(0)[0]);
        assertEquals(1541730337313716000L, b.syncs.get(0)[1]);
        // at a sync point the wall time is exact; 3 ticks later it is 125 ns later (125/3 ns per tick)
        assertEquals(1541730337313716000L, Timesync.wallNs(b, 494027973L, false));
        assertEquals(1541730337313716125L, Timesync.wallNs(b, 494027976L, false));
        // before the first sync record: extrapolate backwards from it
        assertEquals(1541730337313716000L - 125, Timesync.wallNs(b, 494027970L, false));
    }

    @Test
    void inventory() throws Exception {
        DirectoryFileSystem fs = DirectoryFileSystem.of(Corpus.file("unified-logs/plaso_AUL"));
        Diagnostics d = new Diagnostics();
        List<UuidtextInventory.Entry> inv = UuidtextInventory.scan(fs, "/private/var/db/uuidtext", ParseLimits.defaults(), d);
        long files;
        try (var s = Files.walk(Corpus.file("unified-logs/plaso_AUL/private/var/db/uuidtext"))) {
            files = s.filter(Files::isRegularFile).count();
        }
        assertEquals(files, inv.size());
        assertTrue(d.isEmpty(), d.list().toString());
        assertTrue(inv.stream().allMatch(e -> e.imagePath() != null && e.imagePath().startsWith("/")));
        assertTrue(inv.stream().anyMatch(e -> e.imagePath().equals("/usr/libexec/mobileassetd")));
        UuidtextInventory.Entry first = inv.stream().filter(e -> e.uuid().equals(UUID.fromString("002dad71-5ebb-3f94-b3ec-5eec8e0a52ae")))
                .findFirst().orElseThrow();
        assertEquals(209, first.size());
        DirectoryFileSystem dt = DirectoryFileSystem.of(Corpus.file("unified-logs/dtformats"));
        List<UuidtextInventory.Entry> dsc = UuidtextInventory.scan(dt, "/uuidtext", ParseLimits.defaults(), new Diagnostics());
        assertEquals(2 + 196 + 200 + 1, dsc.size());
    }
}
