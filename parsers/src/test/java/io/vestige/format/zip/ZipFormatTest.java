package io.vestige.format.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.collection.CollectionBuilder;
import io.vestige.fixtures.collection.CollectionBuilder.Times;
import io.vestige.io.ByteSource;
import io.vestige.io.ParseException;
import io.vestige.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipFormatTest {
    static final Instant T = Instant.parse("2024-03-01T12:34:56Z");

    @TempDir
    Path tmp;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Container open(Path f) throws IOException {
        try (EvidenceCandidate c = EvidenceCandidate.of(f)) {
            ZipFormat z = new ZipFormat();
            assertTrue(z.probe(c), "probe");
            return z.open(c, OpenOptions.defaults());
        }
    }

    static byte[] read(FileEntry e) throws IOException {
        try (ByteSource s = e.content()) {
            return s.readBytes(0, (int) s.size());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {ZipEntry.STORED, ZipEntry.DEFLATED})
    void storedAndDeflatedEntries(int method) throws Exception {
        Path f = tmp.resolve("c.zip");
        new CollectionBuilder()
                .dir("private/tmp", Times.at(T))
                .file("private/tmp/a.txt", "hello\n".getBytes(StandardCharsets.US_ASCII), 0640, 501, 20,
                        new Times(T, T.plusSeconds(5), null), Map.of())
                .file("private/tmp/big.bin", bytes(10 << 20, 3), 0755, 0, 80, Times.at(T), Map.of())
                .file("private/tmp/._a.txt", new byte[]{1, 2})
                .writeZip(f, method);
        try (Container ct = open(f)) {
            assertEquals("zip", ct.info().format());
            FileSystem fs = ct.logicalFileSystem();
            assertEquals("zip", fs.type());
            assertEquals(List.of("._a.txt", "a.txt", "big.bin"),
                    fs.lookup("/private/tmp").children().stream().map(FileEntry::name).toList());
            FileEntry a = fs.lookup("/private/tmp/a.txt");
            assertEquals("hello\n", new String(read(a), StandardCharsets.US_ASCII));
            assertEquals(T, a.times().modified());
            assertEquals(T.plusSeconds(5), a.times().accessed());
            assertEquals(501, a.uid());
            assertEquals(20, a.gid());
            FileEntry big = fs.lookup("/private/tmp/big.bin");
            assertEquals(10 << 20, big.size());
            ByteSource s = big.content();
            byte[] expect = bytes(10 << 20, 3);
            // backwards and forwards reads of a streamed entry
            assertArrayEquals(java.util.Arrays.copyOfRange(expect, 9 << 20, (9 << 20) + 1000), s.readBytes(9 << 20, 1000));
            assertArrayEquals(java.util.Arrays.copyOf(expect, 1000), s.readBytes(0, 1000));
            assertArrayEquals(expect, read(big));
            assertEquals(80, big.gid());
            assertEquals(Boolean.TRUE, fs.lookup("/private/tmp/._a.txt").attributes().get("appleDouble"));
            assertTrue(ct.diagnostics().isEmpty(), ct.diagnostics().toString());
        }
    }

    @Test
    void macosxFolderCarriesAppleDoubleAttributes() throws Exception {
        byte[] q = "0083;65e1c9a0;Safari;".getBytes(StandardCharsets.US_ASCII);
        Path f = tmp.resolve("ditto.zip");
        new CollectionBuilder()
                .dir("Tool.app", Times.at(T))
                .file("Tool.app/Contents/Info.plist", "<plist/>".getBytes(StandardCharsets.US_ASCII))
                .file("__MACOSX/._Tool.app", io.vestige.fixtures.collection.AppleDoubleWriter.write(
                        Map.of("com.apple.quarantine", q), null))
                .writeZip(f);
        try (Container ct = open(f)) {
            FileEntry app = ct.logicalFileSystem().lookup("/Tool.app");
            assertEquals(List.of("com.apple.quarantine"), app.xattrs().stream().map(x -> x.name()).toList());
            assertArrayEquals(q, app.xattrs().get(0).content().readBytes(0, q.length));
            assertEquals("__MACOSX/._Tool.app", app.attributes().get("appleDoubleMember"));
        }
    }

    @Test
    void velociraptorCollection() throws Exception {
        Path f = tmp.resolve("Collection-mac1-2024-03-01.zip");
        byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
        new CollectionBuilder()
                .file("uploads.json", "{}".getBytes(StandardCharsets.US_ASCII))
                .file("results/Generic.Client.Info%2FBasicInformation.json", one)
                .file("uploads/auto/private/tmp/vpn.Ab3/%2Ehidden/a%3Ab", one)
                .file("uploads/auto/private/var/db/x.db_", one)
                .file("uploads/auto/Users/alice/name%20with%2Fslash", one)
                .writeZip(f);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            assertEquals("velociraptor", fs.info().get("layout"));
            FileEntry h = fs.lookup("/private/tmp/vpn.Ab3/.hidden/a:b");
            assertNotNull(h);
            assertEquals("uploads/auto/private/tmp/vpn.Ab3/%2Ehidden/a%3Ab", h.attributes().get("member"));
            assertNotNull(fs.lookup("/private/var/db/x.db"), "Velociraptor's trailing '_' is removed");
            // a '/' inside one encoded component becomes a path separator, still under the root
            assertNotNull(fs.lookup("/Users/alice/name with/slash"));
            assertEquals(Boolean.TRUE, fs.lookup("/uploads.json").attributes().get("collectionMetadata"));
        }
    }

    @Test
    void zip64WithManyEntries() throws Exception {
        Path f = tmp.resolve("many.zip");
        CollectionBuilder b = new CollectionBuilder();
        for (int i = 0; i < 70_000; i++) {
            b.file("d/f" + i, new byte[0]);
        }
        b.file("d/last", "end".getBytes(StandardCharsets.US_ASCII));
        b.writeZip(f, ZipEntry.STORED);
        byte[] raw = Files.readAllBytes(f);
        // the zip64 end-of-central-directory record (PK\6\6) is there: more than 65535 entries
        assertTrue(indexOf(raw, new byte[]{'P', 'K', 6, 6}) > 0);
        try (Container ct = open(f)) {
            assertEquals(70_001, ct.logicalFileSystem().lookup("/d").children().size());
            assertEquals("end", new String(read(ct.logicalFileSystem().lookup("/d/last")), StandardCharsets.US_ASCII));
        }
    }

    static int indexOf(byte[] h, byte[] n) {
        outer:
        for (int i = 0; i + n.length <= h.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (h[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void overlappingEntriesAreReported() throws Exception {
        Path f = tmp.resolve("overlap.zip");
        new CollectionBuilder().file("a", "AAAA".getBytes(StandardCharsets.US_ASCII))
                .file("b", "BBBB".getBytes(StandardCharsets.US_ASCII)).writeZip(f, ZipEntry.STORED);
        byte[] raw = Files.readAllBytes(f);
        int cd1 = indexOf(raw, new byte[]{'P', 'K', 1, 2});
        int cd2 = cd1 + 46 + 1 + (raw[cd1 + 30] & 0xff) + (raw[cd1 + 32] & 0xff);
        assertEquals('P', raw[cd2]);
        // point the second central-directory entry at the first local header
        System.arraycopy(raw, cd1 + 42, raw, cd2 + 42, 4);
        Files.write(f, raw);
        try (Container ct = open(f)) {
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.message().contains("overlaps")),
                    ct.diagnostics().toString());
        }
    }

    /** Rewrites the uncompressed size of the first entry in its local header (@22) and central record (@24). */
    static void patchSize(byte[] raw, long size) {
        int lh = indexOf(raw, new byte[]{'P', 'K', 3, 4});
        int cd = indexOf(raw, new byte[]{'P', 'K', 1, 2});
        for (int at : new int[]{lh + 22, cd + 24}) {
            for (int i = 0; i < 4; i++) {
                raw[at + i] = (byte) (size >>> (8 * i));
            }
        }
    }

    @Test
    void declaredSizeBoundsWhatIsInflated() throws Exception {
        Path f = tmp.resolve("bomb.zip");
        byte[] zeros = new byte[1 << 20];
        new CollectionBuilder().file("z", zeros).writeZip(f, ZipEntry.DEFLATED);
        byte[] raw = Files.readAllBytes(f);
        // claims less than the stream holds: only the declared bytes are ever produced
        patchSize(raw, 1000);
        Files.write(f, raw);
        try (Container ct = open(f)) {
            FileEntry z = ct.logicalFileSystem().lookup("/z");
            assertEquals(1000, z.size());
            assertEquals(1000, read(z).length);
        }
        // claims more than the stream holds: reading past the real end is a clean truncation error
        patchSize(raw, 3L << 30);
        Files.write(f, raw);
        try (Container ct = open(f)) {
            FileEntry z = ct.logicalFileSystem().lookup("/z");
            assertEquals(3L << 30, z.size());
            ByteSource s = z.content();
            assertEquals(0, s.readBytes(1000, 10)[0]);
            assertThrows(io.vestige.io.TruncatedException.class, () -> s.readBytes((1 << 20) + 100, 10));
        }
    }

    @Test
    void truncatedAndJunkInputsFailCleanly() throws Exception {
        Path f = tmp.resolve("c.zip");
        new CollectionBuilder().file("a", bytes(100_000, 1)).writeZip(f);
        Path cut = tmp.resolve("cut.zip");
        CollectionBuilder.truncate(f, cut, Files.size(f) / 2);
        ParseException e = assertThrows(ParseException.class, () -> open(cut));
        assertTrue(e.getMessage().startsWith("zip central directory"), e.getMessage());
        Path junk = tmp.resolve("junk.bin");
        Files.write(junk, bytes(1000, 2));
        try (EvidenceCandidate c = EvidenceCandidate.of(junk)) {
            assertFalse(new ZipFormat().probe(c));
        }
    }

    @Test
    void registeredBeforeRaw() throws Exception {
        Path f = tmp.resolve("r.zip");
        new CollectionBuilder().file("a", new byte[3]).writeZip(f);
        assertEquals("zip", new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).detect(f).name());
    }

    @Test
    @Tag("corpus")
    void sparkleDevSignedAppZip() throws Exception {
        Path f = Corpus.file("macho-signed/developer-id/DevSignedApp.zip");
        Path unzipped = Corpus.file("macho-signed/developer-id/DevSignedApp.app-unzipped/DevSignedApp.app/Contents/MacOS/SignedApp");
        try (Container ct = open(f)) {
            FileEntry e = ct.logicalFileSystem().lookup("/DevSignedApp.app/Contents/MacOS/SignedApp");
            assertNotNull(e);
            assertEquals(EntryKind.FILE, e.kind());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            assertEquals(HexFormat.of().formatHex(md.digest(Files.readAllBytes(unzipped))),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(read(e))));
            assertNotNull(ct.logicalFileSystem().lookup("/DevSignedApp.app/Contents/Info.plist"));
        }
    }
}
