package io.vestige.format.tsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseLimits;
import io.vestige.testing.Corpus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through the TSK engine: garbage, truncated and corrupted images, failing reads and
 * tight limits must end in Java exceptions (carrying TSK's message), never a JVM crash or a
 * RuntimeException.
 */
class TskHostileTest {

    private static final EvidencePath AT = EvidencePath.ofFile("hostile");

    /** Opens, walks (bounded) and reads everything; returns entries seen. Only IOExceptions may escape per item. */
    private static int exercise(ByteSource src, OpenOptions options) {
        List<FileSystem> list;
        try {
            if (!new TskFormat().probe(src)) {
                return 0;
            }
            list = new TskFormat().open(src, AT, options);
        } catch (IOException e) {
            return 0;
        }
        int seen = 0;
        for (FileSystem fs : list) {
            try (fs) {
                Deque<FileEntry> todo = new ArrayDeque<>();
                todo.push(fs.root());
                while (!todo.isEmpty() && seen < 5000) {
                    FileEntry d = todo.pop();
                    List<FileEntry> kids;
                    try {
                        kids = d.children();
                    } catch (IOException e) {
                        continue;
                    }
                    for (FileEntry c : kids) {
                        seen++;
                        if (c.isDirectory()) {
                            todo.push(c);
                        } else if (c.isFile()) {
                            try (ByteSource content = c.content()) {
                                ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                                long n = Math.min(content.size(), 4L << 20);
                                for (long off = 0; off < n; ) {
                                    b.clear();
                                    int r = content.read(off, b);
                                    if (r <= 0) {
                                        break;
                                    }
                                    off += r;
                                }
                            } catch (IOException e) {
                                // a damaged file: fine, as long as it is an exception
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // root unreadable
            }
        }
        return seen;
    }

    @Test
    void garbageIsNotAFileSystemAndTheErrorCarriesTsksMessage() throws Exception {
        TskAssume.library();
        byte[] junk = new byte[1 << 20];
        new Random(42).nextBytes(junk);
        ByteSource src = ByteSources.wrap(junk, "junk");
        assertFalse(new TskFormat().probe(src));
        TskException e = assertThrows(TskException.class, () -> new TskFormat().open(src, AT, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("tsk_fs_open_img"), e.getMessage());
        // TSK's own words: random bytes look encrypted to its entropy test
        assertTrue(e.getMessage().contains("encryption"), e.getMessage());
        TskException z = assertThrows(TskException.class,
                () -> new TskFormat().open(ByteSources.wrap(new byte[1 << 20]), AT, OpenOptions.defaults()));
        assertTrue(z.getMessage().contains("Cannot determine file system type"), z.getMessage());
        assertFalse(new TskFormat().probe(ByteSources.wrap(new byte[100])));
        assertFalse(new TskFormat().probe(ByteSources.wrap(new byte[1 << 16])));
    }

    @Test
    void aFailingByteSourceBecomesAnExceptionWithTheCause() throws Exception {
        TskAssume.library();
        ByteSource broken = new ByteSource() {
            public long size() {
                return 1 << 20;
            }

            public int read(long offset, ByteBuffer dst) throws IOException {
                throw new IOException("disk on fire at " + offset);
            }
        };
        TskException e = assertThrows(TskException.class, () -> new TskFormat().open(broken, AT, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("disk on fire") || e.getCause() != null, e.getMessage());
        RuntimeException boom = new IllegalStateException("bug in a source");
        ByteSource throwsRuntime = new ByteSource() {
            public long size() {
                return 1 << 20;
            }

            public int read(long offset, ByteBuffer dst) {
                throw boom;
            }
        };
        assertFalse(new TskFormat().probe(throwsRuntime));
    }

    @Test
    @Tag("corpus")
    void directoryCountIsCheckedAgainstTheLimit() throws Exception {
        TskAssume.library();
        byte[] img = Files.readAllBytes(Corpus.file("hfsplus/dfvfs_hfsplus.raw"));
        OpenOptions tight = OpenOptions.defaults().withLimits(ParseLimits.defaults().with("maxDirectoryEntries", 3));
        List<FileSystem> l = new TskFormat().open(ByteSources.wrap(img), AT, tight);
        try (FileSystem fs = l.get(0)) {
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> fs.root().children());
            assertTrue(e.getMessage().contains("maxDirectoryEntries"), e.getMessage());
        }
    }

    @Test
    @Tag("corpus")
    void truncatedImagesFailCleanly() throws Exception {
        TskAssume.library();
        for (String name : List.of("hfsplus/dfvfs_hfsplus.raw", "apfs/dfvfs_apfs.raw")) {
            byte[] img = Files.readAllBytes(Corpus.file(name));
            for (int len : new int[] {512, 1024, 4096, 8192, 65536, 200_000, img.length / 2, img.length - 4096}) {
                byte[] cut = java.util.Arrays.copyOf(img, len);
                exercise(ByteSources.wrap(cut, name + "[0," + len + ")"), OpenOptions.defaults());
            }
        }
    }

    /** 40 corrupted images per sample, or VESTIGE_FUZZ_SEEDS for a longer local run. */
    private static int fuzzSeeds() {
        String s = System.getenv("VESTIGE_FUZZ_SEEDS");
        return s == null || s.isBlank() ? 40 : Integer.parseInt(s.trim());
    }

    @Test
    @Tag("corpus")
    void corruptedImagesNeverEscapeAsRuntimeExceptions() throws Exception {
        TskAssume.library();
        int total = 0;
        for (String name : List.of("hfsplus/dfvfs_hfsplus.raw", "apfs/dfvfs_apfs.raw")) {
            Path p = Corpus.file(name);
            byte[] img = Files.readAllBytes(p);
            int metaEnd = (int) Math.min(img.length, 512 * 1024);
            for (int seed = 1; seed <= fuzzSeeds(); seed++) {
                byte[] bad = img.clone();
                Random r = new Random(seed);
                int flips = 1 + r.nextInt(64);
                for (int i = 0; i < flips; i++) {
                    bad[r.nextInt(metaEnd)] ^= (byte) (1 + r.nextInt(255));
                }
                total += exercise(ByteSources.wrap(bad, name + " seed " + seed), OpenOptions.defaults());
            }
        }
        assertTrue(total > 0, "some corrupted images should still be partly readable");
    }

    /** The corruption of {@code corruptedImagesNeverEscapeAsRuntimeExceptions} for one seed. */
    private static byte[] corrupt(byte[] img, int seed) {
        byte[] bad = img.clone();
        Random r = new Random(seed);
        int metaEnd = (int) Math.min(img.length, 512 * 1024);
        int flips = 1 + r.nextInt(64);
        for (int i = 0; i < flips; i++) {
            bad[r.nextInt(metaEnd)] ^= (byte) (1 + r.nextInt(255));
        }
        return bad;
    }

    /**
     * Regression: this corruption of the dfVFS APFS sample makes libtsk 4.11.1 dereference a wild
     * pointer in {@code APFSJObjTree::APFSJObjTree} (SIGSEGV) when the volume is opened. In-process
     * that ends the JVM; the isolated engine must turn it into an exception and keep working.
     */
    @Test
    @Tag("corpus")
    void aLibtskCrashEndsOnlyTheWorker() throws Exception {
        TskLibrary lib = TskAssume.library();
        org.junit.jupiter.api.Assumptions.assumeTrue(lib.version().startsWith("4.11"), "crash reproduced with 4.11 only");
        byte[] img = Files.readAllBytes(Corpus.file("apfs/dfvfs_apfs.raw"));
        byte[] bad = corrupt(img, 825);
        TskException e = assertThrows(TskException.class,
                () -> new TskFormat().open(ByteSources.wrap(bad, "apfs seed 825"), AT, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("libtsk crashed"), e.getMessage());
        java.util.regex.Matcher report = java.util.regex.Pattern.compile("crash report: ([^)]+)\\)").matcher(e.getMessage());
        if (report.find()) {
            // the worker JVM's crash report is for the examiner; the test does not keep it
            Files.deleteIfExists(Path.of(report.group(1)));
        }
        // this JVM is fine, and the engine still reads a good image
        List<FileSystem> l = new TskFormat().open(ByteSources.wrap(img), AT, OpenOptions.defaults());
        try (FileSystem fs = l.get(0)) {
            assertEquals(53, fs.lookup("/a_directory/a_file").size());
        }
    }

    @Test
    @Tag("corpus")
    void closedFileSystemsRefuseCalls() throws Exception {
        TskAssume.library();
        byte[] img = Files.readAllBytes(Corpus.file("hfsplus/dfvfs_hfsplus.raw"));
        FileSystem fs = new TskFormat().open(ByteSources.wrap(img), AT, OpenOptions.defaults()).get(0);
        FileEntry f = fs.lookup("/passwords.txt");
        ByteSource c = f.content();
        fs.close();
        fs.close();
        IOException e = assertThrows(IOException.class, () -> c.readBytes(0, 10));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IOException.class, fs::root);
        assertEquals(116, f.size());
    }
}
