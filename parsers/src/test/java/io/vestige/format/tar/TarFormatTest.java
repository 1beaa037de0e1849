package io.vestige.format.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.evidence.Xattr;
import io.vestige.fixtures.collection.CollectionBuilder;
import io.vestige.fixtures.collection.CollectionBuilder.Compression;
import io.vestige.fixtures.collection.CollectionBuilder.NameStyle;
import io.vestige.fixtures.collection.CollectionBuilder.Times;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TarFormatTest {
    static final Instant T1 = Instant.parse("2024-03-01T12:34:56.123456789Z");
    static final Instant T2 = Instant.parse("2024-03-02T01:02:03.000000007Z");
    static final Instant T3 = Instant.parse("1969-12-31T23:59:58.750000000Z");
    /** A quarantine value as Safari writes it; plus a binary one to check bytes are kept exactly. */
    static final byte[] QUARANTINE = "0083;65e1c9a0;Safari;8B4F06F5-5C6E-4C43-9F2A-2D7B6F0B1E11"
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] BINARY = {0, (byte) 0xff, ';', '\n', 0x7f, 'q', (byte) 0x80};

    @TempDir
    Path tmp;

    static String longName() {
        return "private/tmp/vpn.Ab3xYz/" + "d".repeat(80) + "/" + "e".repeat(60) + "/vpndownloader";
    }

    static CollectionBuilder sample(NameStyle style) {
        return new CollectionBuilder().nameStyle(style)
                .dir("private", Times.at(Instant.parse("2024-01-01T00:00:00Z")))
                .file("private/tmp/a.txt", "hello\n".getBytes(StandardCharsets.US_ASCII), 0640, 501, 20,
                        new Times(T1, T2, T3), Map.of("com.apple.quarantine", QUARANTINE, "user.bin", BINARY))
                .file(longName(), bytes(70_000, 7), 0755, 0, 0, Times.at(T2), Map.of())
                .symlink("private/tmp/link", "a.txt", Times.at(T1))
                .hardlink("private/tmp/hard", "private/tmp/a.txt", Times.at(T1))
                .file("private/tmp/._a.txt", new byte[]{0, 5, 22, 7}, 0644, 501, 20, Times.at(T1), Map.of());
    }

    /** Compressible content (fast to compress, unlike random bytes). */
    static byte[] text(int n, long seed) {
        try (var in = io.vestige.fixtures.collection.SyntheticContent.stream(seed, n)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static java.util.stream.Stream<Arguments> styles() {
        List<Arguments> l = new ArrayList<>();
        for (Compression c : Compression.values()) {
            for (NameStyle s : NameStyle.values()) {
                l.add(Arguments.of(c, s));
            }
        }
        return l.stream();
    }

    static Container open(Path f) throws IOException {
        return open(f, OpenOptions.defaults());
    }

    static Container open(Path f, OpenOptions o) throws IOException {
        try (EvidenceCandidate c = EvidenceCandidate.of(f)) {
            TarFormat t = new TarFormat();
            assertTrue(t.probe(c), "probe");
            return t.open(c, o);
        }
    }

    static byte[] read(FileEntry e) throws IOException {
        try (ByteSource s = e.content()) {
            return s.readBytes(0, (int) s.size());
        }
    }

    static Path write(Path dir, String name, CollectionBuilder b, Compression c) throws IOException {
        Path f = dir.resolve(name);
        b.writeTar(f, c);
        return f;
    }

    @ParameterizedTest
    @MethodSource("styles")
    void everyCompressionAndNameStyle(Compression c, NameStyle s) throws Exception {
        Path f = write(tmp, "t-" + c + "-" + s, sample(s), c);
        try (Container ct = open(f)) {
            assertEquals("tar", ct.info().format());
            FileSystem fs = ct.logicalFileSystem();
            assertEquals("tar", fs.type());
            FileEntry root = fs.root();
            assertEquals(List.of("private"), root.children().stream().map(FileEntry::name).toList());
            FileEntry tmpDir = fs.lookup("/private/tmp");
            assertEquals(EntryKind.DIRECTORY, tmpDir.kind());
            assertEquals(List.of("._a.txt", "a.txt", "hard", "link", "vpn.Ab3xYz"),
                    tmpDir.children().stream().map(FileEntry::name).toList());
            assertEquals(Boolean.TRUE, tmpDir.attributes().get("synthesized"));

            FileEntry a = fs.lookup("/private/tmp/a.txt");
            assertEquals(EntryKind.FILE, a.kind());
            assertEquals(6, a.size());
            assertEquals("hello\n", new String(read(a), StandardCharsets.US_ASCII));
            assertEquals(0100640, a.mode());
            assertEquals(501, a.uid());
            assertEquals(20, a.gid());
            assertEquals(T1, a.times().modified());
            assertEquals(T2, a.times().accessed());
            assertEquals(T3, a.times().changed());
            List<Xattr> x = a.xattrs();
            assertEquals(List.of("com.apple.quarantine", "user.bin"), x.stream().map(Xattr::name).toList());
            assertArrayEquals(QUARANTINE, x.get(0).content().readBytes(0, (int) x.get(0).size()));
            assertArrayEquals(BINARY, x.get(1).content().readBytes(0, (int) x.get(1).size()));
            String expectedMember = switch (s) {
                case PLAIN -> "private/tmp/a.txt";
                case DOT_SLASH -> "./private/tmp/a.txt";
                case ABSOLUTE -> "/private/tmp/a.txt";
            };
            assertEquals(expectedMember, a.attributes().get("member"));
            assertTrue(a.evidencePath().toString().contains("member " + expectedMember + " @ "), a.evidencePath().toString());
            assertTrue(a.evidencePath().toString().endsWith("/private/tmp/a.txt"));

            FileEntry big = fs.lookup("/" + longName());
            assertNotNull(big, "GNU/pax long name");
            assertEquals(70_000, big.size());
            assertArrayEquals(bytes(70_000, 7), read(big));
            assertEquals(T2, big.times().modified());

            FileEntry link = fs.lookup("/private/tmp/link");
            assertEquals(EntryKind.SYMLINK, link.kind());
            assertEquals("a.txt", link.linkTarget());
            assertEquals(0, link.content().size());

            FileEntry hard = fs.lookup("/private/tmp/hard");
            assertEquals(EntryKind.HARDLINK, hard.kind());
            assertEquals(6, hard.size());
            assertEquals("hello\n", new String(read(hard), StandardCharsets.US_ASCII));

            FileEntry ad = fs.lookup("/private/tmp/._a.txt");
            assertEquals(Boolean.TRUE, ad.attributes().get("appleDouble"));
            assertArrayEquals(new byte[]{0, 5, 22, 7}, read(ad));
            assertEquals(Instant.parse("2024-01-01T00:00:00Z"), fs.lookup("/private").times().modified());
            assertTrue(ct.diagnostics().isEmpty(), ct.diagnostics().toString());
        }
    }

    @Test
    void gnuLongNamesAndLinks() throws Exception {
        String target = "private/tmp/" + "t".repeat(120);
        Path f = write(tmp, "gnu.tar", new CollectionBuilder().gnuLongNames(true)
                .file(target, "x".getBytes(StandardCharsets.US_ASCII))
                .symlink(longName(), target, Times.EPOCH), Compression.NONE);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            assertEquals(1, fs.lookup("/" + target).size());
            assertEquals(target, fs.lookup("/" + longName()).linkTarget());
            assertEquals("ustar", fs.lookup("/" + target).attributes().get("format"));
        }
    }

    @Test
    void libarchiveXattrsAndCreationTime() throws Exception {
        byte[] q = "0081;5f3e1b2c;Google Chrome;".getBytes(StandardCharsets.US_ASCII);
        Path f = write(tmp, "la.tar", new CollectionBuilder().file("x", new byte[1])
                .paxRecords(Map.of("LIBARCHIVE.xattr.com.apple.quarantine",
                        Base64.getEncoder().encode(q),
                        "LIBARCHIVE.xattr.odd%3Dname", Base64.getEncoder().encode(BINARY),
                        "LIBARCHIVE.creationtime", "1700000000.5".getBytes(StandardCharsets.US_ASCII),
                        "SCHILY.fflags", "hidden".getBytes(StandardCharsets.US_ASCII))), Compression.NONE);
        try (Container ct = open(f)) {
            FileEntry e = ct.logicalFileSystem().lookup("/x");
            assertEquals(List.of("com.apple.quarantine", "odd=name"), e.xattrs().stream().map(Xattr::name).toList());
            assertArrayEquals(q, e.xattrs().get(0).content().readBytes(0, q.length));
            assertArrayEquals(BINARY, e.xattrs().get(1).content().readBytes(0, BINARY.length));
            assertEquals(Instant.ofEpochSecond(1_700_000_000L, 500_000_000), e.times().created());
            assertEquals("hidden", e.attributes().get("fflags"));
        }
    }

    @Test
    void hostileNamesStayUnderTheRoot() throws Exception {
        Path f = write(tmp, "h.tar", new CollectionBuilder()
                .rawFile("../../etc/evil", "1".getBytes(StandardCharsets.US_ASCII))
                .rawFile("/../x/./y//z", "2".getBytes(StandardCharsets.US_ASCII))
                .rawFile("a\\..\\..\\b", "3".getBytes(StandardCharsets.US_ASCII)), Compression.NONE);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            assertEquals("1", new String(read(fs.lookup("/etc/evil")), StandardCharsets.US_ASCII));
            assertEquals("2", new String(read(fs.lookup("/x/y/z")), StandardCharsets.US_ASCII));
            assertEquals("3", new String(read(fs.lookup("/b")), StandardCharsets.US_ASCII));
            List<String> all = new ArrayList<>();
            walk(fs.root(), all, 0);
            for (String p : all) {
                assertTrue(p.startsWith("/") && !p.contains("/../") && !p.endsWith("/.."), p);
            }
            assertEquals("../../etc/evil", fs.lookup("/etc/evil").attributes().get("member"));
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.message().contains("climbs with '..'")),
                    ct.diagnostics().toString());
        }
    }

    static void walk(FileEntry e, List<String> out, int depth) throws IOException {
        assertTrue(depth < 100);
        out.add(e.path());
        for (FileEntry c : e.children()) {
            walk(c, out, depth + 1);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Compression.class)
    void truncatedArchiveKeepsMembersBeforeTheCut(Compression c) throws Exception {
        CollectionBuilder b = new CollectionBuilder()
                .file("one", bytes(1000, 1))
                .file("two", text(3_000_000, 2)) // several bzip2 blocks
                .file("three", bytes(10, 3));
        Path full = tmp.resolve("full");
        Path plain = tmp.resolve("plain.tar");
        b.writeTar(plain, Compression.NONE);
        b.writeTar(full, c);
        long cut;
        if (c == Compression.NONE) {
            cut = 512 + 1024 + 512 + 100_000; // inside the data of "two"
        } else {
            cut = Files.size(full) * 3 / 4;
        }
        Path f = tmp.resolve("cut");
        CollectionBuilder.truncate(full, f, cut);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            assertArrayEquals(bytes(1000, 1), read(fs.lookup("/one")));
            assertNull(fs.lookup("/three"));
            List<Diagnostic> errors = ct.diagnostics().stream()
                    .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
            assertEquals(1, errors.size(), ct.diagnostics().toString());
            String m = errors.get(0).message();
            assertTrue(m.contains("two") || m.contains("decompression failed"), m);
            FileEntry two = fs.lookup("/two");
            if (c == Compression.NONE) {
                assertTrue(m.contains("archive truncated in member 'two' at offset " + cut), m);
                assertEquals(Boolean.TRUE, two.attributes().get("truncated"));
                assertEquals(3_000_000, two.size());
                byte[] partial = read(two);
                assertEquals(100_000, partial.length);
                assertArrayEquals(java.util.Arrays.copyOf(text(3_000_000, 2), 100_000), partial);
            }
            assertFalse(Boolean.TRUE.equals(ct.info().details().get("complete")));
        }
    }

    @Test
    void compressedArchiveCutBeforeAnyOutputIsAClearError() throws Exception {
        Path full = write(tmp, "one.tar.bz2", new CollectionBuilder().file("a", bytes(200_000, 1)), Compression.BZIP2);
        Path f = tmp.resolve("cut.tar.bz2");
        CollectionBuilder.truncate(full, f, Files.size(full) / 2);
        ParseException e = assertThrows(ParseException.class, () -> open(f));
        assertTrue(e.getMessage().contains("decompression failed before the first tar header"), e.getMessage());
    }

    @Test
    void lyingSizeSmallerThanDataResyncsToNextHeader() throws Exception {
        byte[] data = new byte[3000];
        java.util.Arrays.fill(data, (byte) 'A');
        Path f = write(tmp, "lie.tar", new CollectionBuilder()
                .lyingFile("liar", data, 100)
                .file("after", "ok".getBytes(StandardCharsets.US_ASCII)), Compression.NONE);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            assertEquals(100, fs.lookup("/liar").size());
            assertEquals("ok", new String(read(fs.lookup("/after")), StandardCharsets.US_ASCII));
            Diagnostic d = ct.diagnostics().stream().filter(x -> x.severity() == Diagnostic.Severity.ERROR)
                    .findFirst().orElseThrow();
            // header 512 + 100 bytes of data padded to 512: the next "header" is at 1024, inside the 'A's
            assertTrue(d.message().startsWith("bad tar header checksum at offset 1024; skipped 2560 bytes"),
                    d.message());
        }
    }

    @Test
    void lyingSizeLargerThanArchiveIsReportedNotAllocated() throws Exception {
        Path f = write(tmp, "huge.tar", new CollectionBuilder()
                .file("first", "1".getBytes(StandardCharsets.US_ASCII))
                .lyingFile("liar", new byte[10], 07_7777_7777_7L), Compression.NONE);
        try (Container ct = open(f)) {
            FileEntry liar = ct.logicalFileSystem().lookup("/liar");
            assertEquals(07_7777_7777_7L, liar.size());
            assertEquals(Boolean.TRUE, liar.attributes().get("truncated"));
            assertTrue(liar.content().size() < 20_000);
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR
                    && d.message().contains("archive truncated in member 'liar'")), ct.diagnostics().toString());
        }
    }

    @Test
    void memberCountLimitIsEnforced() throws Exception {
        CollectionBuilder b = new CollectionBuilder();
        for (int i = 0; i < 50; i++) {
            b.file("f" + i, new byte[0]);
        }
        Path f = write(tmp, "many.tar", b, Compression.GZIP);
        OpenOptions o = OpenOptions.defaults().withLimits(ParseLimits.defaults().with("maxArchiveMembers", 10));
        try (Container ct = open(f, o)) {
            assertEquals(10, ct.logicalFileSystem().root().children().size());
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.message().contains("maxArchiveMembers=10")));
        }
    }

    @Test
    void duplicatesReplaceEarlierMembers() throws Exception {
        Path f = write(tmp, "dup.tar", new CollectionBuilder()
                .file("x", "old".getBytes(StandardCharsets.US_ASCII))
                .file("./x", "new!".getBytes(StandardCharsets.US_ASCII)), Compression.NONE);
        try (Container ct = open(f)) {
            FileEntry x = ct.logicalFileSystem().lookup("/x");
            assertEquals("new!", new String(read(x), StandardCharsets.US_ASCII));
            assertEquals(1, ct.logicalFileSystem().root().children().size());
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.message().contains("replaces an earlier member")));
        }
    }

    @Test
    void compressedMembersReadInAnyOrder() throws Exception {
        CollectionBuilder b = new CollectionBuilder();
        for (int i = 0; i < 5; i++) {
            b.file("m" + i, text(9 << 20 >> 2, i)); // 2.25 MiB each: cached whole
        }
        b.file("large", text(10 << 20, 99)); // over the small-member threshold: streamed
        Path f = write(tmp, "order.tar.gz", b, Compression.GZIP);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            for (int i : new int[]{4, 0, 3, 1, 2}) {
                assertArrayEquals(text(9 << 20 >> 2, i), read(fs.lookup("/m" + i)), "m" + i);
            }
            ByteSource large = fs.lookup("/large").content();
            byte[] expect = text(10 << 20, 99);
            byte[] tail = large.readBytes(large.size() - 100, 100);
            byte[] head = large.readBytes(0, 100);
            assertArrayEquals(java.util.Arrays.copyOfRange(expect, expect.length - 100, expect.length), tail);
            assertArrayEquals(java.util.Arrays.copyOf(expect, 100), head);
            assertArrayEquals(expect, read(fs.lookup("/large")));
        }
    }

    @Test
    void badMagicAndEmptyInputsAreRejected() throws Exception {
        Path f = tmp.resolve("junk.bin");
        Files.write(f, bytes(4096, 5));
        try (EvidenceCandidate c = EvidenceCandidate.of(f)) {
            assertFalse(new TarFormat().probe(c));
        }
        Path gz = tmp.resolve("notatar.gz");
        try (var os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write(bytes(4096, 6));
        }
        try (EvidenceCandidate c = EvidenceCandidate.of(gz)) {
            assertFalse(new TarFormat().probe(c), "gzip of something else (an FSEvents file) is not a tar");
        }
        ParseException e = assertThrows(ParseException.class,
                () -> TarArchive.open(ByteSources.wrap(bytes(1024, 5)), ParseLimits.defaults(), new Diagnostics()));
        assertTrue(e.getMessage().contains("tar header @ 0x0 / 0"), e.getMessage());
    }

    @Test
    void registeredBeforeRaw() throws Exception {
        Path f = write(tmp, "r.tar.gz", sample(NameStyle.PLAIN), Compression.GZIP);
        var opener = new io.vestige.evidence.EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults());
        assertEquals("tar", opener.detect(f).name());
    }

    @Test
    void collectionLayoutsAreStripped() throws Exception {
        byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
        Path uac = write(tmp, "uac.tar.gz", new CollectionBuilder()
                .file("uac-mac1-macos-20240301/uac.log", one)
                .file("uac-mac1-macos-20240301/live_response/process/ps.txt", one)
                .file("uac-mac1-macos-20240301/[root]/private/tmp/vpn.x/a", one), Compression.GZIP);
        try (Container ct = open(uac)) {
            FileSystem fs = ct.logicalFileSystem();
            FileEntry a = fs.lookup("/private/tmp/vpn.x/a");
            assertNotNull(a);
            assertEquals("uac-mac1-macos-20240301/[root]/private/tmp/vpn.x/a", a.attributes().get("member"));
            assertEquals("uac", fs.info().get("layout"));
            FileEntry log = fs.lookup("/uac-mac1-macos-20240301/uac.log");
            assertEquals(Boolean.TRUE, log.attributes().get("collectionMetadata"));
        }
        Path folder = write(tmp, "folder.tar", new CollectionBuilder().nameStyle(NameStyle.DOT_SLASH)
                .file("host-2024/private/tmp/x", one)
                .file("host-2024/Users/alice/Downloads/y", one), Compression.NONE);
        try (Container ct = open(folder)) {
            FileSystem fs = ct.logicalFileSystem();
            assertNotNull(fs.lookup("/private/tmp/x"));
            assertNotNull(fs.lookup("/Users/alice/Downloads/y"));
            assertEquals("folder", fs.info().get("layout"));
        }
        Path plain = write(tmp, "plain.tar", new CollectionBuilder().nameStyle(NameStyle.ABSOLUTE)
                .file("private/tmp/x", one).file("Users/y", one), Compression.NONE);
        try (Container ct = open(plain)) {
            assertNotNull(ct.logicalFileSystem().lookup("/private/tmp/x"));
            assertEquals("plain", ct.logicalFileSystem().info().get("layout"));
        }
    }

    @Test
    void sparseMembersAreListedAndTheirContentRefused() throws Exception {
        Path f = write(tmp, "sparse.tar", new CollectionBuilder().file("s", "DATA".getBytes(StandardCharsets.US_ASCII))
                .paxRecords(Map.of("GNU.sparse.realsize", "1048576".getBytes(StandardCharsets.US_ASCII),
                        "GNU.sparse.name", "real/name".getBytes(StandardCharsets.US_ASCII))), Compression.NONE);
        try (Container ct = open(f)) {
            FileEntry s = ct.logicalFileSystem().lookup("/real/name");
            assertEquals(1_048_576, s.size());
            assertEquals(Boolean.TRUE, s.attributes().get("sparse"));
            assertThrows(UnsupportedFormatException.class, s::content);
        }
    }

    @Test
    void gnuTarArchiveIsReadAsWritten() throws Exception {
        io.vestige.testing.Tools.assume("tar", "tar");
        Path src = Files.createDirectories(tmp.resolve("src/private/tmp/vpn.q"));
        Files.write(src.resolve("f"), bytes(5000, 11));
        Files.setLastModifiedTime(src.resolve("f"), java.nio.file.attribute.FileTime.from(T1));
        Files.createSymbolicLink(src.resolve("l"), Path.of("f"));
        for (String format : List.of("gnu", "pax", "ustar", "v7")) {
            Path out = tmp.resolve("gnu-" + format + ".tar.bz2");
            var r = io.vestige.testing.Tools.run(List.of("tar", "-C", tmp.resolve("src").toString(),
                    "--format=" + format, "-cjf", out.toString(), "private"));
            assertEquals(0, r.exitCode(), r.stderr());
            try (Container ct = open(out)) {
                FileEntry e = ct.logicalFileSystem().lookup("/private/tmp/vpn.q/f");
                assertArrayEquals(bytes(5000, 11), read(e), format);
                Instant expect = format.equals("pax") ? T1 : Instant.ofEpochSecond(T1.getEpochSecond());
                assertEquals(expect, e.times().modified(), format);
                assertEquals("f", ct.logicalFileSystem().lookup("/private/tmp/vpn.q/l").linkTarget());
                assertEquals(EntryKind.DIRECTORY, ct.logicalFileSystem().lookup("/private/tmp").kind(), format);
                assertTrue(ct.diagnostics().isEmpty(), format + ct.diagnostics());
            }
        }
    }

    @Test
    void gnuAndPaxSparseMembersAreListedAndFollowingMembersFound() throws Exception {
        io.vestige.testing.Tools.assume("tar", "tar");
        Path dir = Files.createDirectories(tmp.resolve("sp"));
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("sparse"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (int i = 0; i < 30; i++) {
                ch.write(java.nio.ByteBuffer.wrap(bytes(100, i)), i * 1_000_000L);
            }
        }
        Files.write(dir.resolve("zafter"), "after".getBytes(StandardCharsets.US_ASCII));
        for (String format : List.of("gnu", "pax", "pax-0.1")) {
            Path out = tmp.resolve("sparse-" + format + ".tar");
            List<String> extra = format.equals("pax-0.1") ? List.of("--sparse-version=0.1") : List.of();
            List<String> cmd = new ArrayList<>(List.of("tar", "-C", dir.toString(), "-S",
                    "--format=" + format.replace("-0.1", "")));
            cmd.addAll(extra);
            cmd.addAll(List.of("-cf", out.toString(), "sparse", "zafter"));
            var r = io.vestige.testing.Tools.run(cmd);
            assertEquals(0, r.exitCode(), r.stderr());
            try (Container ct = open(out)) {
                FileEntry s = ct.logicalFileSystem().lookup("/sparse");
                assertNotNull(s, format);
                assertEquals(29 * 1_000_000L + 100, s.size(), format);
                assertEquals(Boolean.TRUE, s.attributes().get("sparse"), format);
                // the holes read as zeros, the segments as written: same digest as the file on disk
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (ByteSource c = s.content()) {
                    assertEquals(s.size(), c.size());
                    for (long pos = 0; pos < c.size(); pos += 1 << 20) {
                        md.update(c.readBytes(pos, (int) Math.min(1 << 20, c.size() - pos)));
                    }
                    assertArrayEquals(bytes(100, 7), c.readBytes(7_000_000L, 100), format);
                }
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("sparse"))),
                        md.digest(), format);
                assertEquals("after", new String(read(ct.logicalFileSystem().lookup("/zafter")), StandardCharsets.US_ASCII));
                assertTrue(ct.diagnostics().isEmpty(), format + ct.diagnostics());
            }
        }
    }

    @Test
    void zstdCompressedTar() throws Exception {
        io.vestige.testing.Tools.assume("zstd", "zstd");
        Path plain = write(tmp, "z.tar", sample(NameStyle.PLAIN), Compression.NONE);
        var r = io.vestige.testing.Tools.run(List.of("zstd", "-q", plain.toString(), "-o", tmp.resolve("z.tar.zst").toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        try (Container ct = open(tmp.resolve("z.tar.zst"))) {
            assertEquals("zstd", ct.info().details().get("compression"));
            assertArrayEquals(bytes(70_000, 7), read(ct.logicalFileSystem().lookup("/" + longName())));
        }
    }

    @Test
    void hardLinkToMissingTargetIsAnError() throws Exception {
        Path f = write(tmp, "hl.tar", new CollectionBuilder().hardlink("x", "nowhere", Times.EPOCH), Compression.NONE);
        try (Container ct = open(f)) {
            FileEntry x = ct.logicalFileSystem().lookup("/x");
            assertEquals(EntryKind.HARDLINK, x.kind());
            ParseException e = assertThrows(ParseException.class, x::content);
            assertTrue(e.getMessage().contains("target not found"), e.getMessage());
        }
    }

    @Test
    void entriesInArchiveOrder() throws Exception {
        Path f = write(tmp, "ord.tar.gz", new CollectionBuilder().file("b/z", new byte[1]).file("a/y", new byte[2])
                .file("b/a", new byte[3]), Compression.GZIP);
        try (Container ct = open(f)) {
            var fs = (io.vestige.format.collection.CollectionFileSystem) ct.logicalFileSystem();
            assertEquals(List.of("/b/z", "/a/y", "/b/a"), fs.entriesInArchiveOrder().stream().map(FileEntry::path).toList());
        }
    }

    @Test
    void smallMembersPassedOverAreKeptSoBackwardReadsDoNotRestart() throws Exception {
        CollectionBuilder b = new CollectionBuilder();
        for (int i = 0; i < 30; i++) {
            b.file("f" + i, text(50_000 + i, i));
        }
        Path f = write(tmp, "pf.tar.gz", b, Compression.GZIP);
        try (ByteSource src = ByteSources.open(f)) {
            TarArchive a = TarArchive.open(src, ParseLimits.defaults(), new Diagnostics());
            var ms = a.members();
            for (int i = ms.size() - 1; i >= 0; i--) {
                try (ByteSource s = ms.get(i).content().open()) {
                    assertArrayEquals(text(50_000 + i, i), s.readBytes(0, (int) s.size()), "f" + i);
                }
            }
            assertEquals(0, a.restarts());
            a.close();
        }
    }

    @Test
    void appleDoubleSiblingsCarryXattrsAndResourceForks() throws Exception {
        byte[] ad = io.vestige.fixtures.collection.AppleDoubleWriter.write(
                new java.util.LinkedHashMap<>(Map.of("com.apple.quarantine", QUARANTINE, "com.apple.FinderInfo.x", BINARY)),
                "RSRC".getBytes(StandardCharsets.US_ASCII));
        Path f = write(tmp, "ad.tar.gz", new CollectionBuilder()
                .dir("private/tmp/vpn.x/vpndownloader.app", Times.EPOCH)
                .file("private/tmp/vpn.x/._vpndownloader.app", ad)
                .file("private/tmp/vpn.x/own", new byte[1], 0644, 0, 0, Times.EPOCH, Map.of("user.own", BINARY))
                .file("private/tmp/vpn.x/._own", io.vestige.fixtures.collection.AppleDoubleWriter.write(
                        Map.of("user.own", "other".getBytes(StandardCharsets.US_ASCII)), null)), Compression.GZIP);
        try (Container ct = open(f)) {
            FileSystem fs = ct.logicalFileSystem();
            FileEntry app = fs.lookup("/private/tmp/vpn.x/vpndownloader.app");
            List<Xattr> x = app.xattrs();
            assertEquals(List.of("com.apple.FinderInfo.x", "com.apple.ResourceFork", "com.apple.quarantine"),
                    x.stream().map(Xattr::name).toList());
            assertArrayEquals(BINARY, x.get(0).content().readBytes(0, BINARY.length));
            assertArrayEquals("RSRC".getBytes(StandardCharsets.US_ASCII), x.get(1).content().readBytes(0, 4));
            assertArrayEquals(QUARANTINE, x.get(2).content().readBytes(0, QUARANTINE.length));
            assertEquals("private/tmp/vpn.x/._vpndownloader.app", app.attributes().get("appleDoubleMember"));
            // the AppleDouble member is still listed as it is
            assertNotNull(fs.lookup("/private/tmp/vpn.x/._vpndownloader.app"));
            // a member's own attribute wins over its AppleDouble copy
            FileEntry own = fs.lookup("/private/tmp/vpn.x/own");
            assertArrayEquals(BINARY, own.xattrs().get(0).content().readBytes(0, BINARY.length));
        }
    }

    @Test
    void damagedAppleDoubleIsADiagnosticNotAFailure() throws Exception {
        byte[] ad = io.vestige.fixtures.collection.AppleDoubleWriter.write(Map.of("com.apple.quarantine", QUARANTINE), null);
        ad[24] = 0x7f; // entry count far beyond what the file holds
        Path f = write(tmp, "bad-ad.tar", new CollectionBuilder().file("x", new byte[1]).file("._x", ad), Compression.NONE);
        try (Container ct = open(f)) {
            assertEquals(List.of(), ct.logicalFileSystem().lookup("/x").xattrs());
            assertTrue(ct.diagnostics().stream().anyMatch(d -> d.message().contains("unreadable")), ct.diagnostics().toString());
        }
    }
}
