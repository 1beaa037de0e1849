package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.fixtures.ewf.Ex01Writer;
import io.vestige.io.Diagnostics;
import io.vestige.io.MediaHasher;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.testing.Tools;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EWF2 (Ex01) reader against the fixtures' independent Ex01 writer. No real Ex01 sample is
 * available, so these tests only show that reader and writer agree on the libyal specification.
 */
class Ewf2ReaderTest {
    @TempDir
    Path dir;

    static Ex01Writer.Options options() {
        Ex01Writer.Options o = new Ex01Writer.Options();
        o.caseNumber = "C-2";
        o.evidenceNumber = "E\t9";
        o.examiner = "Sam";
        o.description = "ex01 disk";
        o.notes = "line1\nline2";
        o.acquisitionTime = Instant.parse("2022-02-03T04:05:06Z");
        o.forceStored = Set.of(4L);
        return o;
    }

    @Test
    void readsWhatTheWriterWrote() throws Exception {
        byte[] m = EwfWriterReaderTest.media(5000, 21);
        Ex01Writer.Options o = options();
        o.maxSegmentSize = 600 << 10;
        o.maxTableEntries = 9;
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("d.Ex01"), m, o);
        assertTrue(w.segments().size() >= 2, w.segments().toString());
        try (EvidenceCandidate c = EvidenceCandidate.of(w.segments().get(0))) {
            EwfFormat f = new EwfFormat();
            assertTrue(f.probe(c));
            try (Container ct = f.open(c, OpenOptions.defaults())) {
                assertEquals("ewf2", ct.info().format());
                assertEquals(m.length, ct.info().mediaSize());
                assertEquals(w.md5(), ct.info().storedHashes().get("md5"));
                assertEquals(w.sha1(), ct.info().storedHashes().get("sha1"));
                Map<String, String> md = ct.info().metadata();
                assertEquals("C-2", md.get("caseNumber"));
                assertEquals("E\t9", md.get("evidenceNumber"));
                assertEquals("line1\nline2", md.get("notes"));
                assertEquals("2022-02-03T04:05:06Z", md.get("acquisitionDate"));
                assertEquals(w.segments().size(), ct.info().segments().size());
                MediaHasher.Result h = MediaHasher.hash(ct.media(), 2, null);
                assertEquals(w.md5(), h.digests().get("md5"));
                assertEquals(w.sha1(), h.digests().get("sha1"));
                Random r = new Random(5);
                for (int i = 0; i < 100; i++) {
                    int off = r.nextInt(m.length);
                    int len = Math.min(m.length - off, 1 + r.nextInt(70_000));
                    assertArrayEquals(java.util.Arrays.copyOfRange(m, off, off + len), ct.media().readBytes(off, len));
                }
                assertTrue(ct.diagnostics().isEmpty(), ct.diagnostics().toString());
            }
        }
    }

    @Test
    void patternFillAndStoredChunks() throws Exception {
        byte[] m = new byte[64 * 512 * 4];
        for (int i = 0; i < 32768; i++) {
            m[i] = (byte) (i % 8 == 0 ? 0xAB : i % 8);     // chunk 0: repeating 8-byte pattern
        }
        new Random(1).nextBytes(java.util.Arrays.copyOfRange(m, 0, 0));
        byte[] rnd = new byte[32768];
        new Random(2).nextBytes(rnd);
        System.arraycopy(rnd, 0, m, 32768, 32768);         // chunk 1: incompressible -> stored
        Ex01Writer.Options o = options();
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("p.Ex01"), m, o);
        try (Ewf2Image img = Ewf2Image.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics())) {
            assertArrayEquals(m, img.readBytes(0, m.length));
        }
    }

    @Test
    void truncatedAndMissing() throws Exception {
        byte[] m = EwfWriterReaderTest.media(3000, 22);
        Ex01Writer.Options o = options();
        o.maxSegmentSize = 300 << 10;
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("t.Ex01"), m, o);
        assertTrue(w.segments().size() >= 2);
        Path last = w.segments().get(w.segments().size() - 1);
        try (RandomAccessFile raf = new RandomAccessFile(last.toFile(), "rw")) {
            raf.setLength(raf.length() - 10);
        }
        ParseException e = assertThrows(ParseException.class,
                () -> Ewf2Image.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e.getMessage().contains("0x"), e.getMessage());
        Files.delete(last);
        ParseException e2 = assertThrows(ParseException.class,
                () -> Ewf2Image.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e2.getMessage().contains("missing"), e2.getMessage());
    }

    @Test
    void libewfOpinionIfItReadsEwf2() throws Exception {
        Tools.assume("ewfverify", "ewf-tools");
        byte[] m = EwfWriterReaderTest.media(2000, 23);
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("l.Ex01"), m, options());
        Tools.Result v = Tools.run(List.of("ewfverify", "-q", w.segments().get(0).toString()));
        // libewf 20140813 predates working EWF2 reading; only when it succeeds must it agree
        if (v.exitCode() == 0) {
            assertTrue(v.out().contains(w.md5()), v.out());
        }
    }

    @Test
    void bzip2ChunksWithoutStreamHeader() throws Exception {
        byte[] m = EwfWriterReaderTest.media(1500, 24);
        Ex01Writer.Options o = options();
        o.bzip2 = true;
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("b.Ex01"), m, o);
        try (Ewf2Image img = Ewf2Image.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics())) {
            assertEquals("bzip2", img.metadata().get("compression"));
            assertArrayEquals(m, img.readBytes(0, m.length));
            assertTrue(img.damagedRanges().isEmpty(), img.damagedRanges().toString());
        }
    }
}
