package io.vestige.format.udif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.udif.UdifWriter;
import io.vestige.fixtures.udif.UdifWriter.Codec;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.TruncatedException;
import io.vestige.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .dmg whose 512-byte koly trailer was cut off (QA): it is still recognised as UDIF; with its XML
 * plist whole the blkx tables are rebuilt (WARNING), with the plist cut too it fails with a clear message.
 */
class UdifTruncatedTest {
    @TempDir
    Path tmp;

    private static EvidenceCandidate candidate(String name, byte[] b) {
        return EvidenceCandidate.of(name, ByteSources.wrap(b, name));
    }

    private static String firstContainerFormat(EvidenceCandidate c) {
        return ProbeRegistry.standard().containers().stream().filter(f -> {
            try {
                return f.probe(c);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).findFirst().orElseThrow().name();
    }

    @Test
    void trailerCutOffIsRebuiltFromThePlistWithAWarning() throws Exception {
        byte[] m = UdifTestSupport.media(700, 31);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).write(m);
        byte[] cut = Arrays.copyOf(dmg, dmg.length - 512);
        try (EvidenceCandidate c = candidate("cut.dmg", cut)) {
            assertTrue(new UdifFormat().probe(c));
            assertEquals("udif", firstContainerFormat(c));
        }
        Diagnostics d = new Diagnostics();
        try (Container c = UdifTestSupport.open(cut, OpenOptions.defaults().withDiagnostics(d).with("udif.verify", "full"))) {
            assertEquals(m.length, c.info().mediaSize());
            assertArrayEquals(m, UdifTestSupport.readAll(c));
            assertArrayEquals(m, UdifTestSupport.readRandom(c));
            Diagnostic w = c.diagnostics().stream().filter(x -> x.severity() == Diagnostic.Severity.WARNING
                    && x.message().startsWith("UDIF image truncated: the 512-byte koly trailer is missing (file is "
                    + cut.length + " bytes)")).findFirst().orElseThrow(() -> new AssertionError(c.diagnostics()));
            assertTrue(w.message().contains("rebuilt from the XML plist"), w.message());
            assertEquals(Boolean.TRUE, c.info().details().get("trailerRebuiltFromPlist"));
            // the per-table CRC-32s (stored in the mish blocks, not the lost trailer) still verify
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) c.info().details().get("checksums");
            assertTrue(cs.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("ok"))), cs.toString());
            cs.forEach(r -> assertTrue(r.get("ok") == null || Boolean.TRUE.equals(r.get("ok")), r.toString()));
        }
    }

    @Test
    void strictModeRefusesToRebuildTheTrailer() throws Exception {
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).write(UdifTestSupport.media(300, 34));
        byte[] cut = Arrays.copyOf(dmg, dmg.length - 512);
        OpenOptions strict = OpenOptions.defaults().withDiagnostics(new Diagnostics(100, true));
        TruncatedException e = assertThrows(TruncatedException.class, () -> UdifTestSupport.open(cut, strict));
        assertTrue(e.getMessage().contains("UDIF image truncated: the 512-byte koly trailer is missing (file is "
                + cut.length + " bytes); the image cannot be decoded reliably — obtain a complete copy"), e.getMessage());
    }

    @Test
    void plistCutShortTooFailsWithTheTruncationMessage() throws Exception {
        byte[] m = UdifTestSupport.media(700, 32);
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).write(m);
        String all = new String(dmg, StandardCharsets.ISO_8859_1);
        int plistEnd = all.lastIndexOf("</plist>");
        int lastMish = all.lastIndexOf("bWlzaA");
        assertTrue(lastMish > 0 && plistEnd > lastMish);
        byte[] cut = Arrays.copyOf(dmg, lastMish + 40); // inside the last blkx Data value
        try (EvidenceCandidate c = candidate("cut.dmg", cut)) {
            assertTrue(new UdifFormat().probe(c));
        }
        // without the .dmg name a cut plist is not enough evidence to claim the file
        try (EvidenceCandidate c = candidate("cut.img", cut)) {
            assertFalse(new UdifFormat().probe(c));
        }
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> UdifTestSupport.open(cut, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("UDIF image truncated: the 512-byte koly trailer is missing (file is "
                + cut.length + " bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("obtain a complete copy"), e.getMessage());
    }

    @Test
    void plistWhoseTablesPointPastTheDataFailsWithTheTruncationMessage() throws Exception {
        byte[] m = new byte[700 * 512];
        new java.util.Random(33).nextBytes(m); // incompressible: a data fork much larger than the hole
        byte[] dmg = new UdifWriter().codec(Codec.ZLIB).write(m);
        byte[] cut = Arrays.copyOf(dmg, dmg.length - 512);
        // drop 1 KiB of chunk data from the middle: the plist's chunk offsets now run past its start
        int dataEnd = new String(cut, StandardCharsets.ISO_8859_1).lastIndexOf("<?xml");
        int at = dataEnd / 2;
        byte[] holed = new byte[cut.length - 1024];
        System.arraycopy(cut, 0, holed, 0, at);
        System.arraycopy(cut, at + 1024, holed, at, cut.length - (at + 1024));
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> UdifTestSupport.open(holed, OpenOptions.defaults()));
        assertTrue(e.getMessage().startsWith("UDIF image: UDIF image truncated")
                || e.getMessage().contains("UDIF image truncated: the 512-byte koly trailer is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("rebuilding the tables from the XML plist failed"), e.getMessage());
    }

    @Test
    void aRawImageEndingInZerosIsNotClaimed() throws Exception {
        byte[] raw = new byte[64 << 10];
        try (EvidenceCandidate c = candidate("disk.dmg", raw)) {
            assertFalse(new UdifFormat().probe(c));
        }
        byte[] text = "<?xml version=\"1.0\"?><plist><dict><key>x</key></dict></plist>\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (EvidenceCandidate c = candidate("settings.img", text)) {
            assertFalse(new UdifFormat().probe(c)); // a plist, but no UDIF keys or mish blocks
        }
    }

    @Tag("corpus")
    @Test
    void corpusZlibDmgWithoutItsTrailer() throws Exception {
        Path full = Corpus.file("dmg/nodeudif_compression-zlib.dmg");
        byte[] expected = UdifCorpusTest.media(full, new Diagnostics());
        byte[] whole = Files.readAllBytes(full);
        Path cut = tmp.resolve("nodeudif_compression-zlib.dmg");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 512));
        try (EvidenceCandidate c = EvidenceCandidate.of(cut)) {
            assertEquals("udif", firstContainerFormat(c));
        }
        Diagnostics d = new Diagnostics();
        byte[] got = UdifCorpusTest.media(cut, d);
        assertArrayEquals(expected, got);
        assertTrue(d.list().stream().anyMatch(x -> x.severity() == Diagnostic.Severity.WARNING
                && x.message().contains("koly trailer is missing (file is " + (whole.length - 512) + " bytes)")),
                d.list().toString());
        // cut into the plist as well: recognised, and refused with the clear message
        Path deeper = tmp.resolve("deeper.dmg");
        String s = new String(whole, StandardCharsets.ISO_8859_1);
        Files.write(deeper, Arrays.copyOf(whole, s.lastIndexOf("bWlzaA") + 20));
        try (EvidenceCandidate c = EvidenceCandidate.of(deeper)) {
            assertTrue(new UdifFormat().probe(c));
        }
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> UdifTestSupport.open(deeper, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("koly trailer is missing"), e.getMessage());
    }
}
