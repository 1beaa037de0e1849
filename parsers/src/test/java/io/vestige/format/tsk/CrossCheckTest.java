package io.vestige.format.tsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.OpenOptions;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrossCheck on file systems we control: the TSK engine against a folder rebuilt from {@code fls}
 * and {@code icat} output (so the other side owes nothing to the engine), and TSK against itself
 * with an injected difference.
 */
class CrossCheckTest {

    @TempDir
    Path tmp;

    /** Rebuilds the allocated tree of an image in a folder from {@code fls -m} and {@code icat}, skipping '$' and private entries. */
    private Path extract(Path img) throws Exception {
        Tools.assume("fls", "sleuthkit");
        Tools.assume("icat", "sleuthkit");
        Tools.Result r = Tools.run(List.of("fls", "-r", "-p", "-u", "-m", "/", img.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        Path root = tmp.resolve("x");
        Files.createDirectories(root);
        List<String[]> dirs = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|");
            String name = f[1];
            if (name.startsWith("/$") || name.contains("HFS+ Private")) {
                continue;
            }
            String type = f[3];
            Instant mtime = Instant.ofEpochSecond(Long.parseLong(f[8]));
            if (type.startsWith("l/")) {
                String[] nt = name.split(" -> ", 2);
                Path p = root.resolve(nt[0].substring(1));
                Files.createDirectories(p.getParent());
                Files.createSymbolicLink(p, Path.of(nt[1]));
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(mtime), null, null);
            } else if (type.startsWith("d/")) {
                Files.createDirectories(root.resolve(name.substring(1)));
                dirs.add(new String[] {name, f[8]});
            } else {
                Tools.Result c = Tools.run(List.of("icat", img.toString(), f[2]));
                assertEquals(0, c.exitCode(), c.stderr());
                Path p = root.resolve(name.substring(1));
                Files.createDirectories(p.getParent());
                Files.write(p, c.stdout());
                Files.setLastModifiedTime(p, FileTime.from(mtime));
            }
        }
        // directory times last: creating children changed them
        dirs.sort(Comparator.comparing((String[] d) -> d[0]).reversed());
        for (String[] d : dirs) {
            Files.setLastModifiedTime(root.resolve(d[0].substring(1)), FileTime.from(Instant.ofEpochSecond(Long.parseLong(d[1]))));
        }
        return root;
    }

    private static FileSystem tsk(ByteSource src, String name) throws IOException {
        List<FileSystem> l = new TskFormat().open(src, EvidencePath.ofFile(name), OpenOptions.defaults());
        assertEquals(1, l.size());
        return l.get(0);
    }

    private static final EnumSet<CrossCheck.Field> FOLDER_FIELDS = EnumSet.of(CrossCheck.Field.KIND,
            CrossCheck.Field.SIZE, CrossCheck.Field.MODIFIED, CrossCheck.Field.LINK, CrossCheck.Field.MD5);

    @Test
    @Tag("corpus")
    void tskAgreesWithFolderRebuiltByFlsAndIcat() throws Exception {
        TskAssume.library();
        Path img = Corpus.file("hfsplus/dfvfs_hfsplus.raw");
        Path folder = extract(img);
        try (ByteSource src = ByteSources.open(img); FileSystem t = tsk(src, "dfvfs_hfsplus.raw")) {
            FileSystem v = DirectoryFileSystem.of(folder);
            CrossCheck.Options o = CrossCheck.Options.defaults().withFields(FOLDER_FIELDS);
            CrossCheck.Result r = CrossCheck.compare(v, t, o);
            assertEquals(List.of(), r.unexplained(), r.summary());
            // 17 fls entries: 5 HFS+ special files and 2 private folders exist on the TSK side only
            assertEquals(10, r.agreed(), r.summary());
            assertEquals(7, r.differences().size());
            assertTrue(r.differences().stream().allMatch(d -> d.field().equals("presence") && d.known()));
            assertTrue(r.consistent());
            assertTrue(r.summary().startsWith("two independent implementations agree on 10 entries; differences: 7 known"),
                    r.summary());

            // inject a difference: same size, other bytes
            Path f = folder.resolve("a_directory/a_file");
            FileTime keep = Files.getLastModifiedTime(f);
            byte[] b = Files.readAllBytes(f);
            b[0] ^= 1;
            Files.write(f, b);
            Files.setLastModifiedTime(f, keep);
            CrossCheck.Result r2 = CrossCheck.compare(v, t, o);
            assertEquals(9, r2.agreed());
            assertEquals(1, r2.unexplained().size());
            CrossCheck.Difference d = r2.unexplained().get(0);
            assertEquals("/a_directory/a_file", d.path());
            assertEquals("md5", d.field());
            assertFalse(d.vestige().equals(d.tsk()));
            assertFalse(r2.consistent());
            assertTrue(r2.summary().contains("1 unexplained (/a_directory/a_file md5)"), r2.summary());
        }
    }

    @Test
    @Tag("corpus")
    void tskAgainstItselfAgreesOnEveryFieldAndCatchesAnInjectedChange() throws Exception {
        TskAssume.library();
        Path img = Corpus.file("apfs/dfvfs_apfs.raw");
        try (ByteSource src = ByteSources.open(img); FileSystem a = tsk(src, "a"); FileSystem b = tsk(src, "b")) {
            CrossCheck.Result r = CrossCheck.compare(a, b);
            assertEquals(10, r.agreed());
            assertEquals(List.of(), r.differences());
            assertEquals("two independent implementations agree on 10 entries; differences: none", r.summary());

            Instant fake = Instant.parse("2001-02-03T04:05:06.123456789Z");
            FileSystem altered = new AlteredFs(b, "/passwords.txt", fake);
            CrossCheck.Result r2 = CrossCheck.compare(a, altered);
            assertEquals(9, r2.agreed());
            assertEquals(1, r2.differences().size());
            CrossCheck.Difference d = r2.differences().get(0);
            assertEquals("/passwords.txt", d.path());
            assertEquals("mtime", d.field());
            assertEquals(fake.toString(), d.tsk());
            assertNull(d.knownReason());
            assertEquals(a.lookup("/passwords.txt").times().modified().toString(), d.vestige());
            Map<String, Object> json = r2.toMap();
            assertEquals(9L, json.get("agreed"));
        }
    }

    @Test
    void knownReasonsNameTskLimitations() {
        FileEntry link = new Stub("/l", EntryKind.SYMLINK, 24, Map.of());
        CrossCheck.Difference d = new CrossCheck.Difference("/l", "size", "24", "0", null);
        assertNotNull(CrossCheck.knownReason(d, "apfs", link, link));
        assertNull(CrossCheck.knownReason(d, "hfsplus", link, link));
        FileEntry comp = new Stub("/c", EntryKind.FILE, 10, Map.of("compressed", true));
        CrossCheck.Difference m = new CrossCheck.Difference("/c", "md5", "aa", "bb", null);
        assertTrue(CrossCheck.knownReason(m, "apfs", comp, comp).contains("LZFSE"));
        FileEntry plain = new Stub("/p", EntryKind.FILE, 10, Map.of());
        assertNull(CrossCheck.knownReason(new CrossCheck.Difference("/p", "md5", "aa", "bb", null), "apfs", plain, plain));
        CrossCheck.Difference v = new CrossCheck.Difference("/$CatalogFile", "presence", "absent", "file", null);
        assertNotNull(CrossCheck.knownReason(v, "hfsplus", null, plain));
        assertNull(CrossCheck.knownReason(new CrossCheck.Difference("/x", "presence", "absent", "file", null), "hfsplus",
                null, plain));
    }

    /** A FileSystem whose entry at one path reports another modification time. */
    private record AlteredFs(FileSystem inner, String path, Instant mtime) implements FileSystem {
        @Override
        public String type() {
            return inner.type();
        }

        @Override
        public String label() {
            return inner.label();
        }

        @Override
        public EvidencePath evidencePath() {
            return inner.evidencePath();
        }

        @Override
        public FileEntry root() throws IOException {
            return wrap(inner.root());
        }

        FileEntry wrap(FileEntry e) {
            return new FileEntry() {
                public String name() { return e.name(); }
                public String path() { return e.path(); }
                public EntryKind kind() { return e.kind(); }
                public long size() { return e.size(); }
                public long inode() { return e.inode(); }
                public int mode() { return e.mode(); }
                public long uid() { return e.uid(); }
                public long gid() { return e.gid(); }
                public String linkTarget() { return e.linkTarget(); }
                public FileTimes times() {
                    FileTimes t = e.times();
                    return e.path().equals(path) ? new FileTimes(t.created(), mtime, t.changed(), t.accessed(), t.added()) : t;
                }
                public ByteSource content() throws IOException { return e.content(); }
                public List<FileEntry> children() throws IOException {
                    return e.children().stream().map(AlteredFs.this::wrap).toList();
                }
                public EvidencePath evidencePath() { return e.evidencePath(); }
            };
        }
    }

    private record Stub(String path, EntryKind kind, long size, Map<String, Object> attributes) implements FileEntry {
        public String name() { return path.substring(1); }
        public FileTimes times() { return FileTimes.NONE; }
        public ByteSource content() { return ByteSources.empty(); }
        public List<FileEntry> children() { return List.of(); }
        public EvidencePath evidencePath() { return EvidencePath.ofFile("stub"); }
    }
}
