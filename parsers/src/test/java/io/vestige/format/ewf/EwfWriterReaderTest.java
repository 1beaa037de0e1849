package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.fixtures.ewf.EwfWriter;
import io.vestige.io.DamagedRange;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.MediaHasher;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.TruncatedException;
import io.vestige.testing.Tools;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures' EWF writer checked with libewf and TSK, and the reader checked against the writer. */
class EwfWriterReaderTest {
    @TempDir
    Path dir;

    /** Mixed media: random (incompressible), zeros, repeated text. */
    static byte[] media(int sectors, long seed) {
        byte[] b = new byte[sectors * 512];
        Random r = new Random(seed);
        for (int off = 0; off < b.length; off += 32768) {
            int len = Math.min(32768, b.length - off);
            switch ((off / 32768) % 3) {
                case 0 -> {
                    byte[] x = new byte[len];
                    r.nextBytes(x);
                    System.arraycopy(x, 0, b, off, len);
                }
                case 1 -> { }
                default -> {
                    byte[] t = ("chunk " + off + " of the Vestige test image\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < len; i++) {
                        b[off + i] = t[i % t.length];
                    }
                }
            }
        }
        return b;
    }

    static EwfWriter.Options options() {
        EwfWriter.Options o = new EwfWriter.Options();
        o.caseNumber = "CASE-42";
        o.evidenceNumber = "EV-7";
        o.examiner = "Jane Examiner";
        o.description = "synthetic disk";
        o.notes = "made by EwfWriterReaderTest";
        o.softwareVersion = "20140812";
        o.os = "Linux";
        o.acquisitionTime = Instant.parse("2023-05-06T07:08:09Z");
        o.systemTime = Instant.parse("2023-05-06T07:08:10Z");
        o.forceStored = Set.of(2L, 5L);
        return o;
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void libewfVerifiesWriterOutput() throws Exception {
        Tools.assume("ewfverify", "ewf-tools");
        byte[] m = media(6000, 1); // 3,072,000 bytes: last chunk short
        EwfWriter.Options o = options();
        o.maxSegmentSize = 512 << 10; // forces several segments
        o.maxTableEntries = 10;      // several table runs per segment
        EwfWriter.Written w = EwfWriter.write(dir.resolve("disk.E01"), m, o);
        assertTrue(w.segments().size() >= 3, w.segments().toString());
        assertEquals(md5(m), w.md5());
        Tools.Result v = Tools.run(List.of("ewfverify", "-q", "-d", "sha1", w.segments().get(0).toString()));
        assertEquals(0, v.exitCode(), v.out() + v.stderr());
        assertTrue(v.out().contains("MD5 hash calculated over data:\t\t" + w.md5()), v.out());
        assertTrue(v.out().contains("SHA1 hash calculated over data:\t\t" + w.sha1()), v.out());
        Map<String, String> info = EwfCorpusTest.ewfinfo(w.segments().get(0));
        assertEquals("CASE-42", info.get("Case number"));
        assertEquals("EV-7", info.get("Evidence number"));
        assertEquals("Jane Examiner", info.get("Examiner name"));
        assertEquals("synthetic disk", info.get("Description"));
        assertEquals("made by EwfWriterReaderTest", info.get("Notes"));
        assertEquals("6000", info.get("Number of sectors"));
        assertEquals("64", info.get("Sectors per chunk"));
        assertEquals("Sat May  6 07:08:09 2023", info.get("Acquisition date"));
        if (Tools.which("img_stat") != null) {
            Tools.Result s = Tools.run(List.of("img_stat", w.segments().get(0).toString()));
            assertTrue(s.out().contains("Size of data in bytes:\t" + m.length), s.out());
        }
    }

    @Test
    void readerReadsWriterOutput() throws Exception {
        byte[] m = media(6000, 2);
        EwfWriter.Options o = options();
        o.maxSegmentSize = 1 << 20;
        o.maxTableEntries = 7;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("disk.E01"), m, o);
        try (EvidenceCandidate c = EvidenceCandidate.of(w.segments().get(0));
             Container ct = new EwfFormat().open(c, OpenOptions.defaults())) {
            assertEquals(m.length, ct.info().mediaSize());
            assertEquals(512, ct.info().sectorSize());
            assertEquals(w.segments().stream().map(p -> p.getFileName().toString()).toList(), ct.info().segments());
            assertEquals(w.md5(), ct.info().storedHashes().get("md5"));
            assertEquals(w.sha1(), ct.info().storedHashes().get("sha1"));
            Map<String, String> md = ct.info().metadata();
            assertEquals("CASE-42", md.get("caseNumber"));
            assertEquals("EV-7", md.get("evidenceNumber"));
            assertEquals("Jane Examiner", md.get("examiner"));
            assertEquals("made by EwfWriterReaderTest", md.get("notes"));
            assertEquals("2023-05-06T07:08:09Z", md.get("acquisitionDate"));
            assertEquals("2023-05-06T07:08:10Z", md.get("systemDate"));
            MediaHasher.Result h = MediaHasher.hash(ct.media(), 2, null);
            assertEquals(w.md5(), h.digests().get("md5"));
            assertEquals(w.sha1(), h.digests().get("sha1"));
            Random r = new Random(3);
            for (int i = 0; i < 200; i++) {
                int off = r.nextInt(m.length);
                int len = Math.min(m.length - off, 1 + r.nextInt(100_000));
                byte[] got = ct.media().readBytes(off, len);
                assertArrayEquals(java.util.Arrays.copyOfRange(m, off, off + len), got, "at " + off);
            }
            assertTrue(ct.diagnostics().isEmpty(), ct.diagnostics().toString());
        }
    }

    @Test
    void libewfReadsStoredOnlyAndSingleSegment() throws Exception {
        Tools.assume("ewfverify", "ewf-tools");
        byte[] m = media(1000, 4);
        EwfWriter.Options o = options();
        o.compressionLevel = -1;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("raw.E01"), m, o);
        assertEquals(1, w.segments().size());
        Tools.Result v = Tools.run(List.of("ewfverify", "-q", w.segments().get(0).toString()));
        assertEquals(0, v.exitCode(), v.out());
        try (EwfImage img = EwfImage.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics())) {
            assertArrayEquals(m, img.readBytes(0, m.length));
        }
    }

    /** Offset of the n-th stored chunk body is found via the reader's own table? No: via the writer's layout. */
    private static long findBytes(Path f, byte[] needle) throws Exception {
        byte[] all = Files.readAllBytes(f);
        outer:
        for (int i = 0; i + needle.length <= all.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (all[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void damagedStoredChunkIsReportedWithItsRange() throws Exception {
        byte[] m = media(2048, 5);
        EwfWriter.Options o = options();
        EwfWriter.Written w = EwfWriter.write(dir.resolve("d.E01"), m, o);
        Path f = w.segments().get(0);
        // chunk 2 is forced stored: its bytes appear verbatim in the file
        byte[] needle = java.util.Arrays.copyOfRange(m, 2 * 32768, 2 * 32768 + 64);
        long at = findBytes(f, needle);
        assertTrue(at > 0);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at + 10);
            raf.write(m[2 * 32768 + 10] ^ 0x55);
        }
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            MediaHasher.Result h = MediaHasher.hash(img, List.of("md5"), 2, null);
            assertEquals(1, h.damaged().size());
            DamagedRange r = h.damaged().get(0);
            assertEquals(2, r.chunk());
            assertEquals(65536, r.mediaOffset());
            assertEquals(32768, r.length());
            assertTrue(d.list().get(0).message().contains("chunk 2 media bytes [65536, 98304)"), d.list().toString());
            // libewf's behaviour: the stored bytes are delivered
            byte[] bad = m.clone();
            bad[2 * 32768 + 10] ^= 0x55;
            assertEquals(md5(bad), h.digests().get("md5"));
            img.zeroOnChecksumError(true);
            byte[] z = img.readBytes(65536, 32768);
            assertArrayEquals(new byte[32768], z);
        }
    }

    @Test
    void corruptCompressedChunkIsZeroFilled() throws Exception {
        byte[] m = media(2048, 6);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("z.E01"), m, options());
        Path f = w.segments().get(0);
        // chunk 1 (zeros) deflates to a tiny zlib stream: 78 01 + ...; smash the first zlib header found after the volume
        byte[] all = Files.readAllBytes(f);
        int hits = 0;
        for (int i = 2000; i + 1 < all.length && hits == 0; i++) {
            if ((all[i] & 0xff) == 0x78 && (all[i + 1] & 0xff) == 0x01) {
                all[i + 2] ^= (byte) 0xff;
                all[i + 3] ^= (byte) 0xff;
                hits++;
            }
        }
        Files.write(f, all);
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            MediaHasher.Result h = MediaHasher.hash(img, List.of("md5"), 2, null);
            assertEquals(1, h.damaged().size(), h.damaged().toString());
            DamagedRange r = h.damaged().get(0);
            assertArrayEquals(new byte[(int) r.length()], img.readBytes(r.mediaOffset(), (int) r.length()));
            assertTrue(r.reason().contains("zero-filled"));
        }
    }

    @Test
    void missingSegmentIsAnError() throws Exception {
        byte[] m = media(4000, 7);
        EwfWriter.Options o = options();
        o.maxSegmentSize = 400 << 10;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("s.E01"), m, o);
        assertTrue(w.segments().size() >= 2, w.segments().toString());
        Files.delete(w.segments().get(1));
        MalformedException e = assertThrows(MalformedException.class,
                () -> EwfImage.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e.getMessage().contains("segment 2 is missing"), e.getMessage());
    }

    @Test
    void caseInsensitiveSegmentNames() throws Exception {
        byte[] m = media(4000, 8);
        EwfWriter.Options o = options();
        o.maxSegmentSize = 1 << 20;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("s.E01"), m, o);
        for (Path p : w.segments()) {
            String n = p.getFileName().toString();
            Files.move(p, p.resolveSibling(n.substring(0, n.length() - 3) + n.substring(n.length() - 3).toLowerCase()));
        }
        try (EwfImage img = EwfImage.open(dir.resolve("s.e01"), ParseLimits.defaults(), new Diagnostics())) {
            assertEquals(w.segments().size(), img.segmentNames().size());
            assertEquals(w.md5(), MediaHasher.hash(img, List.of("md5"), 1, null).digests().get("md5"));
        }
    }

    @Test
    void truncatedSegmentGivesOffsets() throws Exception {
        byte[] m = media(2048, 9);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("t.E01"), m, options());
        Path f = w.segments().get(0);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        ParseException e = assertThrows(ParseException.class,
                () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e instanceof TruncatedException, e.toString());
        assertTrue(e.getMessage().contains("0x"), e.getMessage());
    }

    @Test
    void badMagicAndTinyFiles() throws Exception {
        Path f = dir.resolve("x.E01");
        Files.write(f, "EVF but not really".getBytes(StandardCharsets.US_ASCII));
        assertThrows(ParseException.class, () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
        Files.write(f, new byte[] {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0, 1, 1});
        assertThrows(TruncatedException.class, () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
    }

    /** Byte offset of the first section of {@code type} in a segment (walking descriptors as the spec lays them out). */
    static long sectionOffset(Path f, String type, int nth) throws Exception {
        byte[] all = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long off = 13;
        int seen = 0;
        while (off + 76 <= all.length) {
            String t = new String(all, (int) off, 16, StandardCharsets.US_ASCII).replace("\0", "");
            if (t.equals(type) && seen++ == nth) {
                return off;
            }
            long next = b.getLong((int) off + 16);
            if (next == off) {
                break;
            }
            off = next;
        }
        return -1;
    }

    @Test
    void corruptTableFallsBackToTable2() throws Exception {
        byte[] m = media(2048, 10);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("c.E01"), m, options());
        Path f = w.segments().get(0);
        long table = sectionOffset(f, "table", 0);
        assertTrue(table > 0);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(table + 76 + 24 + 4); // entry 1
            raf.write(0x7f);
        }
        Diagnostics d = new Diagnostics();
        try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), d)) {
            assertEquals(w.md5(), MediaHasher.hash(img, List.of("md5"), 2, null).digests().get("md5"));
            assertTrue(d.list().stream().anyMatch(x -> x.message().contains("using table2")), d.list().toString());
        }
    }

    @Test
    void absurdTableCountFailsCleanly() throws Exception {
        byte[] m = media(512, 11);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("a.E01"), m, options());
        Path f = w.segments().get(0);
        long table = sectionOffset(f, "table", 0);
        byte[] h = new byte[24];
        ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 0x7ffffff0);
        java.util.zip.Adler32 a = new java.util.zip.Adler32();
        a.update(h, 0, 20);
        ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(20, (int) a.getValue());
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(table + 76);
            raf.write(h, 0, 4);
            raf.seek(table + 76 + 20);
            raf.write(h, 20, 4);
        }
        ParseException e = assertThrows(ParseException.class,
                () -> EwfImage.open(f, ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e instanceof LimitExceededException || e instanceof MalformedException, e.toString());
        assertTrue(e.getMessage().contains("0x"), e.getMessage());
    }

    @Test
    void hugeClaimedMediaStaysSmallInMemory() throws Exception {
        byte[] m = media(2048, 12);
        EwfWriter.Options o = options();
        o.claimedSectorCount = 1L << 31; // 1 TiB of media claimed, 1 MiB stored
        EwfWriter.Written w = EwfWriter.write(dir.resolve("huge.E01"), m, o);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Diagnostics d = new Diagnostics(100, false);
        try (EwfImage img = EwfImage.open(w.segments().get(0), ParseLimits.defaults(), d)) {
            assertEquals(1L << 40, img.size());
            assertArrayEquals(java.util.Arrays.copyOf(m, 4096), img.readBytes(0, 4096));
            Random r = new Random(1);
            for (int i = 0; i < 2000; i++) {
                long off = (r.nextLong() >>> 1) % (img.size() - 4096);
                byte[] b = img.readBytes(off, 4096);
                if (off >= m.length) {
                    assertArrayEquals(new byte[4096], b);
                }
            }
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            assertTrue(after - before < 64L << 20, "heap grew by " + (after - before));
            assertTrue(d.list().stream().anyMatch(x -> x.message().contains("media needs")), d.list().toString());
        }
    }

    @Test
    void moreThan99SegmentsUseLetterExtensions() throws Exception {
        byte[] m = new byte[130 * 32768];
        new Random(13).nextBytes(m); // incompressible: one stored chunk per segment
        EwfWriter.Options o = options();
        o.maxSegmentSize = 36_000;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("many.E01"), m, o);
        List<String> names = w.segments().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.size() > 100, names.size() + " segments");
        assertEquals("many.E99", names.get(98));
        assertEquals("many.EAA", names.get(99));
        assertEquals("many.EAB", names.get(100));
        try (EwfImage img = EwfImage.open(w.segments().get(0), ParseLimits.defaults(), new Diagnostics())) {
            assertEquals(names, img.segmentNames());
            assertEquals(md5(m), MediaHasher.hash(img, List.of("md5"), 2, null).digests().get("md5"));
        }
        if (Tools.which("ewfverify") != null) {
            Tools.Result v = Tools.run(List.of("ewfverify", "-q", w.segments().get(0).toString()));
            assertEquals(0, v.exitCode(), v.out());
            assertTrue(v.out().contains("MD5 hash calculated over data:\t\t" + md5(m)), v.out());
        }
    }

    @Test
    void segmentNameScheme() {
        assertEquals("E02", EwfSegmentNames.extension("E01", 2));
        assertEquals("EAA", EwfSegmentNames.extension("E01", 100));
        assertEquals("EZZ", EwfSegmentNames.extension("E01", 775));
        assertEquals("FAA", EwfSegmentNames.extension("E01", 776));
        assertEquals("saa", EwfSegmentNames.extension("s01", 100));
        assertEquals("L05", EwfSegmentNames.extension("L01", 5));
        assertEquals("Ex02", EwfSegmentNames.extension("Ex01", 2));
        assertEquals("ExAA", EwfSegmentNames.extension("Ex01", 100));
        assertEquals("EyAA", EwfSegmentNames.extension("Ex01", 776));
        assertEquals("E01", EwfSegmentNames.firstExtension("case.EAB"));
        assertEquals("Ex01", EwfSegmentNames.firstExtension("case.Ex07"));
    }

    @Test
    void error2RangesReachLibewfAndTheReader() throws Exception {
        byte[] m = media(2048, 14);
        EwfWriter.Options o = options();
        o.errorRanges = List.of(new long[] {128, 64}, new long[] {1000, 8});
        EwfWriter.Written w = EwfWriter.write(dir.resolve("err.E01"), m, o);
        try (EvidenceCandidate c = EvidenceCandidate.of(w.segments().get(0));
             Container ct = new EwfFormat().open(c, OpenOptions.defaults())) {
            assertEquals(List.of(Map.of("firstSector", 128L, "sectorCount", 64L), Map.of("firstSector", 1000L,
                    "sectorCount", 8L)), ct.info().details().get("errorRanges"));
        }
        Tools.assume("ewfinfo", "ewf-tools");
        Tools.Result r = Tools.run(List.of("ewfinfo", w.segments().get(0).toString()));
        assertTrue(r.out().contains("at sector(s): 128 - 191 number: 64"), r.out());
        assertTrue(r.out().contains("at sector(s): 1000 - 1007 number: 8"), r.out());
    }

    @Test
    void imageInsideEvidenceOpensFromItsBytes() throws Exception {
        byte[] m = media(1024, 15);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("inner.E01"), m, options());
        byte[] file = Files.readAllBytes(w.segments().get(0));
        io.vestige.io.ByteSource src = io.vestige.io.ByteSources.wrap(file, "inner.E01");
        try (EvidenceCandidate c = EvidenceCandidate.of("nested/inner.E01", src)) {
            EwfFormat f = new EwfFormat();
            assertTrue(f.probe(c));
            try (Container ct = f.open(c, OpenOptions.defaults())) {
                assertEquals(w.md5(), MediaHasher.hash(ct.media(), List.of("md5"), 2, null).digests().get("md5"));
            }
            assertEquals(file.length, c.source().readBytes(0, file.length).length); // still open
        }
    }
}
