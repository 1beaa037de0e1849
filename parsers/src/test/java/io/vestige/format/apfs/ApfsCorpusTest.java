package io.vestige.format.apfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The APFS reader against the real-world corpus and the two independent reference readers: The
 * Sleuth Kit 4.11 ({@code fls}, {@code istat}, {@code icat}, {@code pstat}, {@code mmls}) and
 * libfsapfs 20201107 ({@code fsapfsinfo -H/-E/-B -d}). Known differences between those tools and
 * Apple's order are handled explicitly here (FORMATS.md §11): libfsapfs 20201107 reports the
 * inode's create time as "modification" and its mod time as "creation", and its bodyfile goes
 * through floating point so its fractions are off by up to a few hundred nanoseconds.
 */
@Tag("corpus")
class ApfsCorpusTest {
    private static final DateTimeFormatter TSK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS");

    static Map<String, FileEntry> walk(FileSystem fs) throws IOException {
        Map<String, FileEntry> out = new TreeMap<>();
        walk(fs.root(), out, 0);
        return out;
    }

    private static void walk(FileEntry e, Map<String, FileEntry> out, int depth) throws IOException {
        assertTrue(depth < 64);
        out.put(e.path(), e);
        for (FileEntry c : e.children()) {
            walk(c, out, depth + 1);
        }
    }

    static String md5(ByteSource s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (InputStream in = s.openStream()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static String perms(int mode) {
        String s = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? s.charAt(i) : '-');
        }
        return b.toString();
    }

    /** Sector offset of the first partition from {@code mmls} (independent of the reader's own GPT locator). */
    static long mmlsStart(Path img) throws Exception {
        Tools.assume("mmls", "sleuthkit");
        Tools.Result r = Tools.run(List.of("mmls", img.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        Matcher m = Pattern.compile("(?m)^\\d+:\\s+000\\s+(\\d+)\\s+(\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return Long.parseLong(m.group(1));
    }

    /** The APSB block of volume 1 according to {@code pstat}. */
    static long pstatApsb(Path img, long sectorOffset) throws Exception {
        Tools.Result r = Tools.run(List.of("pstat", "-o", Long.toString(sectorOffset), img.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        Matcher m = Pattern.compile("APSB Block Number: (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return Long.parseLong(m.group(1));
    }

    static List<FileSystem> open(Path img, long byteOffset) throws IOException {
        ByteSource src = ByteSources.open(img);
        ByteSource part = byteOffset == 0 ? src : src.slice(byteOffset, src.size() - byteOffset);
        return new ApfsFormat().open(part, EvidencePath.ofFile(img.getFileName().toString()), OpenOptions.defaults());
    }

    @Test
    void dfvfsMatchesSleuthKit() throws Exception {
        compareWithSleuthKit(Corpus.file("apfs/dfvfs_apfs.raw"), 0);
    }

    @Test
    void r2GptMatchesSleuthKit() throws Exception {
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        compareWithSleuthKit(img, mmlsStart(img));
    }

    @Test
    void dfvfsMatchesLibfsapfs() throws Exception {
        compareWithLibfsapfs(Corpus.file("apfs/dfvfs_apfs.raw"), 0);
    }

    @Test
    void r2GptMatchesLibfsapfs() throws Exception {
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        compareWithLibfsapfs(img, mmlsStart(img) * 512);
    }

    private void compareWithSleuthKit(Path img, long sectorOffset) throws Exception {
        Tools.assume("fls", "sleuthkit");
        long apsb = pstatApsb(img, sectorOffset);
        List<FileSystem> fss = open(img, sectorOffset * 512);
        assertEquals(1, fss.size());
        ApfsVolume vol = (ApfsVolume) fss.get(0);
        assertEquals(apsb, vol.superblock().paddr(), "APSB block");
        Map<String, FileEntry> ours = walk(vol);
        List<String> common = List.of("-P", "apfs", "-o", Long.toString(sectorOffset), "-B", Long.toString(apsb));

        List<String> cmd = new ArrayList<>(List.of("fls", "-r", "-p"));
        cmd.addAll(common);
        cmd.add(img.toString());
        Tools.Result fls = Tools.run(cmd);
        assertEquals(0, fls.exitCode(), fls.stderr());
        TreeSet<String> tsk = new TreeSet<>();
        for (String line : fls.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = Pattern.compile("^(.)/(.) (\\d+):\\t(.*)$").matcher(line);
            assertTrue(m.matches(), line);
            tsk.add(m.group(1) + " " + m.group(3) + " /" + m.group(4));
        }
        TreeSet<String> mine = new TreeSet<>();
        for (FileEntry e : ours.values()) {
            if (!e.path().equals("/")) {
                mine.add(e.kind().typeChar() + " " + e.inode() + " " + e.path());
            }
        }
        assertEquals(tsk, mine, "fls -r -p listing");

        for (FileEntry e : ours.values()) {
            List<String> ic = new ArrayList<>(List.of("istat"));
            ic.addAll(common);
            ic.add(img.toString());
            ic.add(Long.toString(e.inode()));
            Tools.Result is = Tools.run(ic);
            assertEquals(0, is.exitCode(), is.stderr());
            String out = is.out();
            String where = e.path() + " (inode " + e.inode() + ")";
            assertEquals(Long.parseLong(field(out, "Size:\\t(\\d+)")), e.size(), "size " + where);
            assertTrue(field(out, "Mode:\\t(\\S+)").endsWith(perms(e.mode())), "mode " + where);
            Matcher og = Pattern.compile("owner / group: (\\d+) / (\\d+)").matcher(out);
            assertTrue(og.find());
            assertEquals(Long.parseLong(og.group(1)), e.uid(), "uid " + where);
            assertEquals(Long.parseLong(og.group(2)), e.gid(), "gid " + where);
            if (e.kind() == EntryKind.FILE) {
                assertEquals(Long.parseLong(field(out, "Number of Links: (\\d+)")), e.linkCount(), "links " + where);
            }
            assertEquals(tskTime(out, "Created"), e.times().created(), "created " + where);
            assertEquals(tskTime(out, "Content Modified"), e.times().modified(), "modified " + where);
            assertEquals(tskTime(out, "Attributes Modified"), e.times().changed(), "changed " + where);
            assertEquals(tskTime(out, "Accessed"), e.times().accessed(), "accessed " + where);
            if (!e.path().equals("/")) {
                assertEquals(tskTime(out, "Date Added"), e.times().added(), "added " + where);
            }
            if (e.kind() == EntryKind.SYMLINK) {
                assertEquals(field(out, "Symbolic link to:\\t(.*)"), e.linkTarget(), "link target " + where);
            }
            if (e.kind() == EntryKind.FILE) {
                List<String> cat = new ArrayList<>(List.of("icat"));
                cat.addAll(common);
                cat.add(img.toString());
                cat.add(Long.toString(e.inode()));
                Tools.Result c = Tools.run(cat);
                if (c.exitCode() != 0 && c.stderr().contains("Attribute 4352 not found")) {
                    // TSK has no data attribute for an inode without a data stream (a_resourcefork): empty
                    assertEquals(0, e.content().size(), "content of stream-less " + where);
                    continue;
                }
                assertEquals(0, c.exitCode(), c.stderr());
                assertEquals(md5(c.stdout()), md5(e.content()), "content MD5 " + where);
                assertEquals(c.stdout().length, e.content().size(), "content length " + where);
            }
        }
    }

    private static String field(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return m.group(1);
    }

    private static Instant tskTime(String istat, String label) {
        String v = field(istat, "(?m)^" + label + ":\\t+(\\S+ \\S+) \\(UTC\\)");
        return LocalDateTime.parse(v, TSK_TIME).toInstant(ZoneOffset.UTC);
    }

    private void compareWithLibfsapfs(Path img, long byteOffset) throws Exception {
        Tools.assume("fsapfsinfo", "libfsapfs-utils");
        ApfsVolume vol = (ApfsVolume) open(img, byteOffset).get(0);
        Map<String, FileEntry> ours = walk(vol);
        String prefix = "/{" + vol.superblock().uuid() + "}";

        Tools.Result h = Tools.run(List.of("fsapfsinfo", "-o", Long.toString(byteOffset), "-H", img.toString()));
        assertEquals(0, h.exitCode(), h.stderr());
        TreeSet<String> libPaths = new TreeSet<>();
        for (String line : h.out().split("\n")) {
            if (line.startsWith(prefix)) {
                String p = line.substring(prefix.length());
                libPaths.add(p.equals("/") || p.isEmpty() ? "/" : p);
            }
        }
        assertEquals(libPaths, new TreeSet<>(ours.keySet()), "fsapfsinfo -H hierarchy");

        // -E all: per inode, times to the nanosecond (creation/modification swapped in this version)
        Tools.Result all = Tools.run(List.of("fsapfsinfo", "-o", Long.toString(byteOffset), "-E", "all", img.toString()));
        assertEquals(0, all.exitCode(), all.stderr());
        Map<Long, Map<String, String>> byId = new LinkedHashMap<>();
        for (String block : all.out().split("File entry:\n")) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String line : block.split("\n")) {
                int c = line.indexOf(':');
                if (line.startsWith("\t") && !line.startsWith("\t\t") && c > 0) {
                    f.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
                }
            }
            if (f.containsKey("Identifier")) {
                byId.put(Long.parseLong(f.get("Identifier")), f);
            }
        }
        int compared = 0;
        for (FileEntry e : ours.values()) {
            Map<String, String> f = byId.get(e.inode());
            if (f == null) {
                continue; // -E all lists inodes, not every link; the hierarchy check above covers paths
            }
            String where = e.path();
            assertEquals(Long.parseLong(f.get("Size")), e.size(), "size " + where);
            assertEquals(Long.parseLong(f.get("Owner identifier")), e.uid(), "uid " + where);
            assertEquals(Long.parseLong(f.get("Group identifier")), e.gid(), "gid " + where);
            Matcher m = Pattern.compile("\\((0\\d+)\\)").matcher(f.get("File mode"));
            assertTrue(m.find());
            assertEquals(Integer.parseInt(m.group(1), 8), e.mode(), "mode " + where);
            assertEquals(Instant.parse(f.get("Creation time")), e.times().modified(), "libfsapfs 'creation' = mod_time " + where);
            assertEquals(Instant.parse(f.get("Modification time")), e.times().created(), "libfsapfs 'modification' = create_time " + where);
            assertEquals(Instant.parse(f.get("Inode change time")), e.times().changed(), "change " + where);
            assertEquals(Instant.parse(f.get("Access time")), e.times().accessed(), "access " + where);
            if (f.containsKey("Added time")) {
                assertEquals(Instant.parse(f.get("Added time")), e.times().added(), "added " + where);
            }
            compared++;
        }
        assertTrue(compared >= ours.size() - 1, "compared " + compared + " of " + ours.size());

        // -d -B: content MD5 per path; bodyfile times rounded through a double (tolerance 1 µs)
        Path body = java.nio.file.Files.createTempFile("vestige-apfs", ".body");
        try {
            java.nio.file.Files.delete(body);
            Tools.Result b = Tools.run(List.of("fsapfsinfo", "-o", Long.toString(byteOffset), "-d", "-H", "-B",
                    body.toString(), img.toString()));
            assertEquals(0, b.exitCode(), b.stderr());
            int files = 0;
            for (String line : java.nio.file.Files.readAllLines(body, StandardCharsets.UTF_8)) {
                String[] c = line.split("\\|");
                String p = c[1].substring(prefix.length());
                int arrow = p.indexOf(" -> ");
                if (arrow > 0) {
                    p = p.substring(0, arrow);
                }
                FileEntry e = ours.get(p.isEmpty() ? "/" : p);
                assertNotNull(e, "bodyfile path " + p);
                assertEquals(Long.parseLong(c[2]), e.inode());
                assertEquals(Long.parseLong(c[6]), e.size(), "bodyfile size " + p);
                near(c[7], e.times().accessed(), "atime " + p);
                near(c[8], e.times().created(), "bodyfile mtime (= create_time in this version) " + p);
                near(c[9], e.times().changed(), "ctime " + p);
                near(c[10], e.times().modified(), "bodyfile crtime (= mod_time in this version) " + p);
                if (e.kind() == EntryKind.FILE) {
                    assertEquals(c[0], md5(e.content()), "MD5 " + p);
                    files++;
                }
            }
            assertTrue(files > 0);
        } finally {
            java.nio.file.Files.deleteIfExists(body);
        }
    }

    private static void near(String bodyTime, Instant ours, String what) {
        String[] p = bodyTime.split("\\.");
        Instant t = Instant.ofEpochSecond(Long.parseLong(p[0]), p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0);
        assertTrue(Duration.between(t, ours).abs().toNanos() < 1000, what + ": " + t + " vs " + ours);
    }

    /** The corpus manifest's ground truth for the dfVFS image. */
    @Test
    void dfvfsGroundTruth() throws Exception {
        ApfsVolume vol = (ApfsVolume) open(Corpus.file("apfs/dfvfs_apfs.raw"), 0).get(0);
        assertEquals("apfs_test", vol.label());
        assertEquals("458ed10d-8ac3-4af1-8dfd-3954d151a3f3", vol.info().get("uuid"));
        FileEntry f = vol.lookup("/a_directory/a_file");
        Xattr x = f.xattrs().stream().filter(a -> a.name().equals("myxattr")).findFirst().orElseThrow();
        assertEquals("My extended attribute", new String(x.content().readBytes(0, (int) x.size()), StandardCharsets.UTF_8));
        FileEntry r = vol.lookup("/a_directory/a_resourcefork");
        Xattr rf = r.xattrs().stream().filter(a -> a.name().equals("com.apple.ResourceFork")).findFirst().orElseThrow();
        assertEquals("My resource fork", new String(rf.content().readBytes(0, (int) rf.size()), StandardCharsets.UTF_8).trim());
        assertEquals("a_directory/another_file", vol.lookup("/a_link").linkTarget());
        assertEquals(EntryKind.SYMLINK, vol.lookup("/a_link").kind());
        assertEquals(null, vol.lookup("/nope"));
        assertEquals(null, vol.lookup("/passwords.txt/x"));
        assertFalse((Boolean) vol.info().get("encrypted"));
        assertFalse((Boolean) vol.info().get("caseSensitive"));
    }

    /** r2's README and hello.txt are plain text; the reader's lookup and whole-disk GPT path agree with mmls. */
    @Test
    void r2WholeDiskFindsGptPartition() throws Exception {
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        long start = mmlsStart(img);
        ByteSource src = ByteSources.open(img);
        assertFalse(new ApfsFormat().probe(src), "the standard probe leaves whole disks to the GPT reader");
        ApfsFormat fmt = ApfsFormat.wholeDisk();
        assertTrue(fmt.probe(src));
        List<FileSystem> fss = fmt.open(src, EvidencePath.ofFile("r2"), OpenOptions.defaults());
        assertEquals(1, fss.size());
        assertEquals("untitled", fss.get(0).label());
        assertTrue(fss.get(0).evidencePath().toString().contains("@ " + start * 512), fss.get(0).evidencePath().toString());
        assertEquals(154624, fss.get(0).lookup("/bin/ls").size());
    }

    /** The carve holds block 0 and the checkpoint ring only: the container superblock parses, volumes do not. */
    @Test
    void securityRoninCarveSuperblockOnly() throws Exception {
        ByteSource src = ByteSources.open(Corpus.file("apfs/securityronin_apfs_nxsb_head.bin"));
        assertTrue(ApfsContainer.probe(src));
        NxSuperblock sb = ApfsContainer.readSuperblock(src, 0, -1);
        assertEquals("40115033-9523-4496-96a2-0edadeeca565", sb.uuid().toString());
        assertEquals(4096, sb.blockSize());
        OpenOptions o = OpenOptions.defaults();
        ApfsContainer c = ApfsContainer.open(src, EvidencePath.ofFile("carve"), o);
        assertEquals(sb.uuid(), c.superblock().uuid());
        assertTrue(c.volumeCount() >= 1);
        // the object map lies beyond the carve: opening a volume must fail cleanly with an offset
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> c.openVolume(0));
        assertTrue(e.getMessage().contains("outside") || e.getMessage().contains("truncated"), e.getMessage());
    }

    /** The Homebrew UDIF: readable once a UDIF container format is registered (DMG helper); skipped before. */
    @Test
    void homebrewDmg() throws Exception {
        Path dmg = Corpus.file("apfs/homebrew_container-apfs.dmg");
        ContainerFormat udif = null;
        try (EvidenceCandidate cand = EvidenceCandidate.of(dmg)) {
            for (ContainerFormat f : ProbeRegistry.standard().containers()) {
                if (!f.name().equals("raw") && !f.name().equals("dir") && f.probe(cand)) {
                    udif = f;
                    break;
                }
            }
            Assumptions.assumeTrue(udif != null, "no UDIF reader registered yet; DMG test skipped");
            try (Container c = udif.open(cand, OpenOptions.defaults())) {
                List<FileSystem> fss = new ApfsFormat().open(c.media(), c.evidencePath(), OpenOptions.defaults());
                assertFalse(fss.isEmpty());
                Map<String, FileEntry> all = walk(fss.get(0));
                assertTrue(all.containsKey("/"));
                for (FileEntry e : all.values()) {
                    if (e.isFile()) {
                        assertEquals(e.size(), e.content().readBytes(0, (int) e.size()).length);
                    }
                }
            }
        }
    }
}
