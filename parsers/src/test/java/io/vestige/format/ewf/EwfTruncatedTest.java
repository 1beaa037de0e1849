package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.ewf.EwfWriter;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E01 sets cut short at several points (QA: a truncated E01 must still show what was read). The
 * writer puts 8 chunks of 32 KiB per sectors/table/table2 run, so a cut inside the k-th sectors
 * section leaves exactly k-1 tables, i.e. (k-1)*8 chunks, readable.
 */
class EwfTruncatedTest {
    @TempDir
    Path dir;

    private static final int CHUNK = 64 * 512;
    private static final int SECTORS = 2048; // 32 chunks, 4 tables

    private EwfWriter.Written write(byte[] m) throws Exception {
        EwfWriter.Options o = EwfWriterReaderTest.options();
        o.maxTableEntries = 8;
        return EwfWriter.write(dir.resolve("t.E01"), m, o);
    }

    private static void cut(Path f, long length) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    @Test
    void cutInThirdSectorsRunOpensWithTwoTablesOfMedia() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 21);
        Path f = write(m).segments().get(0);
        long third = EwfWriterReaderTest.sectionOffset(f, "sectors", 2);
        assertTrue(third > 0);
        cut(f, third + 76 + 1000);
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            assertEquals(16L * CHUNK, img.size());
            assertArrayEquals(Arrays.copyOf(m, 16 * CHUNK), img.readBytes(0, 16 * CHUNK));
            assertEquals("CASE-42", img.headerValues().get("c"));
            assertEquals((long) SECTORS * 512, img.volume().mediaSize());
            Diagnostic e = d.list().stream().filter(x -> x.severity() == Diagnostic.Severity.ERROR).findFirst()
                    .orElseThrow(() -> new AssertionError(d.list().toString()));
            assertTrue(e.message().contains("truncated"), e.message());
            assertTrue(e.message().contains("limited to " + 16L * CHUNK + " of " + (long) SECTORS * 512), e.message());
            assertTrue(e.message().contains(String.valueOf(third + 76 + 1000)), e.message());
        }
    }

    @Test
    void containerAdapterExposesTheSalvagedMediaAndMetadata() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 22);
        Path f = write(m).segments().get(0);
        cut(f, EwfWriterReaderTest.sectionOffset(f, "sectors", 1) + 300);
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            var info = EwfFormat.info(img);
            assertEquals(8L * CHUNK, info.mediaSize());
            assertEquals("CASE-42", info.metadata().get("caseNumber"));
            assertEquals("EV-7", info.metadata().get("evidenceNumber"));
        }
    }

    @Test
    void strictModeRefusesPartialMedia() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 27);
        Path f = write(m).segments().get(0);
        cut(f, EwfWriterReaderTest.sectionOffset(f, "sectors", 2) + 500);
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics(100, true)));
        assertTrue(e.getMessage().contains("strict mode"), e.getMessage());
        assertTrue(e.getMessage().contains("case number 'CASE-42'"), e.getMessage());
    }

    @Test
    void cutBeforeDoneKeepsAllMediaButReportsTheLoss() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 23);
        EwfWriter.Written w = write(m);
        Path f = w.segments().get(0);
        long done = EwfWriterReaderTest.sectionOffset(f, "done", 0);
        assertTrue(done > 0);
        cut(f, done + 20);
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            assertEquals(m.length, img.size());
            assertArrayEquals(m, img.readBytes(0, m.length));
            assertTrue(d.list().stream().anyMatch(x -> x.severity() == Diagnostic.Severity.ERROR
                    && x.message().contains("every chunk table survives")), d.list().toString());
        }
    }

    @Test
    void cutInFirstSectorsRunFailsWithTheMetadata() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 24);
        Path f = write(m).segments().get(0);
        long first = EwfWriterReaderTest.sectionOffset(f, "sectors", 0);
        long at = first + 76 + 5000;
        cut(f, at);
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
        String msg = e.getMessage();
        assertTrue(msg.contains("case number 'CASE-42'"), msg);
        assertTrue(msg.contains("evidence number 'EV-7'"), msg);
        assertTrue(msg.contains("acquisition date 2023-05-06T07:08:09Z"), msg);
        assertTrue(msg.contains("media size " + (long) SECTORS * 512 + " bytes"), msg);
        assertTrue(msg.contains("ends at byte offset " + at), msg);
    }

    @Test
    void cutInsideTheHeaderSectionsSaysWhatIsMissing() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 25);
        Path f = write(m).segments().get(0);
        long vol = EwfWriterReaderTest.sectionOffset(f, "volume", 0);
        cut(f, vol + 40);
        TruncatedException e = assertThrows(TruncatedException.class,
                () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e.getMessage().contains("no volume section"), e.getMessage());
        assertTrue(e.getMessage().contains("case number 'CASE-42'"), e.getMessage());
        assertTrue(e.getMessage().contains("media size (not read)"), e.getMessage());
    }

    @Test
    void everyCutPointEitherOpensConsistentlyOrFailsCleanly() throws Exception {
        byte[] m = EwfWriterReaderTest.media(SECTORS, 26);
        Path f = write(m).segments().get(0);
        byte[] whole = Files.readAllBytes(f);
        Path g = dir.resolve("g.E01");
        int opened = 0;
        int failed = 0;
        for (int len = 13; len < whole.length; len += 4093) {
            Files.write(g, Arrays.copyOf(whole, len));
            try (EwfImage img = EwfImage.open(g, ParseLimits.defaults(), new Diagnostics())) {
                int n = (int) img.size();
                assertEquals(0, n % (8 * CHUNK), "cut at " + len);
                assertArrayEquals(Arrays.copyOf(m, n), img.readBytes(0, n), "cut at " + len);
                opened++;
            } catch (io.vestige.io.ParseException expected) {
                // no table survives: a clean failure is the documented outcome
                failed++;
            }
        }
        assertTrue(opened > 0 && failed > 0, opened + " opened, " + failed + " failed");
    }
}
