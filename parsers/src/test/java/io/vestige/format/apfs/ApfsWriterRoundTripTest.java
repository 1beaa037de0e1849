package io.vestige.format.apfs;

import static io.vestige.format.apfs.WriterShim.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reader against images from the independent fixtures writer: every expected value below is
 * what the writer was told to store (names, bytes, modes, owners, the five times, snapshots,
 * deletions), never the reader's own output.
 */
class ApfsWriterRoundTripTest {
    static final Instant C = Instant.parse("2026-03-01T10:00:00.123456789Z");
    static final Instant M = Instant.parse("2026-03-01T10:00:01.200000001Z");
    static final Instant CH = Instant.parse("2026-03-01T10:00:02.300000002Z");
    static final Instant A = Instant.parse("2026-03-01T10:00:03.400000003Z");
    static final Instant AD = Instant.parse("2026-03-01T10:00:04.500000004Z");
    static final Instant LINK_ADDED = Instant.parse("2026-03-02T00:00:00Z");

    static byte[] big() {
        byte[] b = new byte[200_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251 + i / 5000);
        }
        return b;
    }

    record Built(byte[] image, List<Long> xids) {
    }

    static Built build() {
        WriterShim w = WriterShim.create(7);
        Object t = WriterShim.times(C, M, CH, A, AD);
        Object data = w.volume("Macintosh HD - Data", "DATA", true);
        w.volume("Macintosh HD", "SYSTEM", false);
        byte[] big = big();
        call(data, "dir", "/private", t);
        call(data, "dir", "/private/tmp", t);
        call(data, "file", "/private/tmp/x.txt", "hello".getBytes(StandardCharsets.US_ASCII), 0644, 501, 20, t);
        call(data, "dir", "/private/tmp/vpn.abc", t);
        call(data, "file", "/private/tmp/vpn.abc/payload", big, 0755, 501, 20, t);
        w.commit();
        call(data, "snapshot", "snap1");
        w.commit();
        call(data, "delete", "/private/tmp/vpn.abc/payload");
        call(data, "delete", "/private/tmp/vpn.abc");
        call(data, "compressedFile", "/z3", Arrays.copyOf(big, 60000), WriterShim.enumValue("Compression", "ZLIB_INLINE"),
                0644, 0, 0, t);
        call(data, "compressedFile", "/z4", big, WriterShim.enumValue("Compression", "ZLIB_RSRC"), 0644, 0, 0, t);
        call(data, "compressedFile", "/v8", big, WriterShim.enumValue("Compression", "LZVN_RSRC"), 0644, 0, 0, t);
        TreeMap<Long, byte[]> pieces = new TreeMap<>();
        pieces.put(0L, "head".getBytes(StandardCharsets.US_ASCII));
        pieces.put(1L << 20, "tail".getBytes(StandardCharsets.US_ASCII));
        call(data, "sparseFile", "/sparse", (1L << 20) + 4096, pieces, 0600, 0, 0, t);
        call(data, "symlink", "/link", "private/tmp/x.txt", 0, 0, t);
        call(data, "file", "/dataless", new byte[0], 0644, 501, 20, t);
        call(data, "bsdFlags", "/dataless", 0x40000000);
        call(data, "hardlink", "/private/tmp/x.txt", "/hl", LINK_ADDED);
        call(data, "xattr", "/private/tmp/x.txt", "com.apple.quarantine", "0081;abc".getBytes(StandardCharsets.US_ASCII));
        call(data, "xattr", "/private/tmp/x.txt", "big", big, true);
        w.commit();
        return new Built(w.toBytes(), w.checkpointXids());
    }

    static ApfsVolume dataVolume(List<FileSystem> fss) {
        return (ApfsVolume) fss.stream().filter(f -> f.label().equals("Macintosh HD - Data")).findFirst().orElseThrow();
    }

    @Test
    void liveTreeMetadataAndContent() throws Exception {
        Built b = build();
        List<FileSystem> fss = new ApfsFormat().open(ByteSources.wrap(b.image()), EvidencePath.ofFile("w"),
                OpenOptions.defaults());
        assertEquals(Set.of("Macintosh HD - Data", "Macintosh HD"), fss.stream().map(FileSystem::label).collect(Collectors.toSet()));
        ApfsVolume v = dataVolume(fss);
        assertEquals("Data", v.info().get("role"));
        assertEquals(false, v.info().get("caseSensitive"));
        ApfsVolume sys = (ApfsVolume) fss.stream().filter(f -> f.label().equals("Macintosh HD")).findFirst().orElseThrow();
        assertEquals("System", sys.info().get("role"));
        assertEquals(true, sys.info().get("caseSensitive"));

        FileEntry x = v.lookup("/private/tmp/x.txt");
        assertEquals(EntryKind.FILE, x.kind());
        assertEquals(5, x.size());
        assertEquals(0100644, x.mode());
        assertEquals(501, x.uid());
        assertEquals(20, x.gid());
        assertEquals(2, x.linkCount());
        assertEquals(new FileTimes(C, M, CH, A, AD), x.times());
        assertEquals("hello", new String(x.content().readBytes(0, 5), StandardCharsets.US_ASCII));
        Xattr q = x.xattrs().stream().filter(a -> a.name().equals("com.apple.quarantine")).findFirst().orElseThrow();
        assertEquals("0081;abc", new String(q.content().readBytes(0, (int) q.size()), StandardCharsets.US_ASCII));
        Xattr bx = x.xattrs().stream().filter(a -> a.name().equals("big")).findFirst().orElseThrow();
        assertArrayEquals(big(), bx.content().readBytes(0, (int) bx.size()));

        FileEntry hl = v.lookup("/hl");
        assertEquals(x.inode(), hl.inode());
        assertEquals(LINK_ADDED, hl.times().added());
        assertEquals("private/tmp/x.txt", v.lookup("/link").linkTarget());
        assertEquals(EntryKind.SYMLINK, v.lookup("/link").kind());

        FileEntry z3 = v.lookup("/z3");
        assertEquals(60000, z3.size());
        assertArrayEquals(Arrays.copyOf(big(), 60000), z3.content().readBytes(0, 60000));
        assertEquals("zlib", z3.attributes().get("compression"));
        FileEntry z4 = v.lookup("/z4");
        assertEquals(200_000, z4.size());
        assertArrayEquals(big(), z4.content().readBytes(0, 200_000));
        FileEntry v8 = v.lookup("/v8");
        assertEquals(200_000, v8.size());
        try {
            assertArrayEquals(big(), v8.content().readBytes(0, 200_000));
        } catch (UnsupportedFormatException e) {
            // until the LZVN codec is merged the reader says so plainly
            assertTrue(e.getMessage().contains("LZVN"), e.getMessage());
        }

        FileEntry sp = v.lookup("/sparse");
        assertEquals((1L << 20) + 4096, sp.size());
        ByteSource s = sp.content();
        assertEquals("head", new String(s.readBytes(0, 4), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[4096], s.readBytes(8192, 4096));
        assertEquals("tail", new String(s.readBytes(1L << 20, 4), StandardCharsets.US_ASCII));
        assertNull(v.lookup("/private/tmp/vpn.abc"));

        FileEntry dl = v.lookup("/dataless");
        assertEquals(true, dl.attributes().get("dataless"));
        UnsupportedFormatException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedFormatException.class,
                dl::content);
        assertTrue(e.getMessage().contains("dataless"), e.getMessage());
    }

    @Test
    void snapshotHistoryAndXidViews() throws Exception {
        Built b = build();
        ByteSource src = ByteSources.wrap(b.image());
        ApfsContainer c = ApfsContainer.open(src);
        assertEquals(b.xids().get(b.xids().size() - 1), c.current().xid());
        ApfsVolume v = c.openVolume(0);
        assertEquals(List.of("snap1"), v.snapshots().stream().map(ApfsSnapshot::name).toList());
        ApfsSnapshot snap = v.snapshots().get(0);
        assertTrue(b.xids().contains(snap.xid()), "snapshot xid " + snap.xid() + " is a commit of " + b.xids());

        ApfsVolume sv = v.openSnapshot("snap1");
        FileEntry p = sv.lookup("/private/tmp/vpn.abc/payload");
        assertNotNull(p);
        assertArrayEquals(big(), p.content().readBytes(0, 200_000));
        assertNull(sv.lookup("/z3"));

        List<FileSystem> bySetting = new ApfsFormat().open(src, EvidencePath.ofFile("w"),
                OpenOptions.defaults().with("snapshot", "snap1"));
        assertEquals(1, bySetting.size());
        assertEquals(snap.xid(), ((ApfsVolume) bySetting.get(0)).xid());

        List<ApfsHistory.Vanished> gone = ApfsHistory.deletedAcrossHistory(c, 0);
        assertEquals(Set.of("/private/tmp/vpn.abc", "/private/tmp/vpn.abc/payload"),
                gone.stream().map(ApfsHistory.Vanished::path).collect(Collectors.toSet()));
        ApfsHistory.Vanished payload = gone.stream().filter(g -> g.path().endsWith("payload")).findFirst().orElseThrow();
        assertEquals("deleted", payload.status());
        assertEquals(200_000, payload.size());
        assertArrayEquals(big(), payload.entry().content().readBytes(0, 200_000));

        ApfsVolume first = c.openVolume(0, b.xids().get(0));
        assertNotNull(first.lookup("/private/tmp/vpn.abc/payload"));
        assertNull(first.lookup("/z3"));
        List<FileSystem> byXid = new ApfsFormat().open(src, EvidencePath.ofFile("w"),
                OpenOptions.defaults().with("xid", Long.toString(b.xids().get(0))));
        assertNotNull(dataVolume(byXid).lookup("/private/tmp/vpn.abc"));
        assertFalse(gone.isEmpty());
    }

    /**
     * A System/Data pair made a volume group by writing the same apfs_volume_group_id (APSB offset
     * 1008) into both superblocks (the writer does not set it); the merged view follows the
     * System volume's /usr/share/firmlinks to the Data volume.
     */
    @Test
    void volumeGroupFollowsFirmlinks() throws Exception {
        WriterShim w = WriterShim.create(5);
        Object t = WriterShim.times(C, M, CH, A, AD);
        Object sys = w.volume("Macintosh HD", "SYSTEM", false);
        Object data = w.volume("Macintosh HD - Data", "DATA", true);
        call(sys, "file", "/usr/share/firmlinks", "/private\tprivate\n/Users\tUsers\n".getBytes(StandardCharsets.US_ASCII),
                0644, 0, 0, t);
        call(sys, "dir", "/private", t);
        call(sys, "dir", "/System/Volumes/Data", t);
        call(data, "file", "/private/tmp/vpn.1/payload", "evil".getBytes(StandardCharsets.US_ASCII), 0644, 0, 0, t);
        call(data, "dir", "/Users/bob", t);
        w.commit();
        byte[] img = w.toBytes();
        for (Object v : new Object[] {sys, data}) {
            int o = (int) (long) (Long) call(v, "superblockBlock") * 4096;
            for (int i = 0; i < 16; i++) {
                img[o + 1008 + i] = (byte) (0x40 + i);
            }
            ApfsDamageCorpusTest.resign(img, o);
        }
        List<FileSystem> fss = new ApfsFormat().open(ByteSources.wrap(img), EvidencePath.ofFile("g"), OpenOptions.defaults());
        assertEquals(3, fss.size());
        ApfsVolumeGroup g = (ApfsVolumeGroup) fss.get(2);
        assertEquals("Macintosh HD + Macintosh HD - Data", g.label());
        assertEquals("/private", g.firmlinks().get("/private"));
        FileEntry p = g.lookup("/private/tmp/vpn.1/payload");
        assertEquals("evil", new String(p.content().readBytes(0, 4), StandardCharsets.US_ASCII));
        assertEquals("Macintosh HD - Data", p.attributes().get("volume"));
        assertEquals("/private/tmp/vpn.1/payload", p.path());
        assertNotNull(g.lookup("/System/Volumes/Data/private/tmp/vpn.1"));
        assertNotNull(g.lookup("/usr/share/firmlinks"));
        Set<String> top = g.root().children().stream().map(FileEntry::name).collect(Collectors.toSet());
        assertTrue(top.containsAll(Set.of("Users", "private", "usr", "System")), top.toString());
        FileEntry tmp = g.root().children().stream().filter(e -> e.name().equals("private")).findFirst().orElseThrow()
                .children().get(0);
        assertEquals("/private/tmp", tmp.path());
        assertEquals("vpn.1", tmp.children().get(0).name());
    }

    /** A damaged leaf of a multi-level fs tree: lenient views skip it with a diagnostic, strict views fail. */
    @Test
    void damagedLeafIsSkippedOrFatalByMode() throws Exception {
        WriterShim w = WriterShim.create(11);
        Object t = WriterShim.times(C, M, CH, A, AD);
        Object data = w.volume("Data", "DATA", true);
        for (int i = 0; i < 3000; i++) {
            call(data, "file", "/d" + (i / 500) + "/f" + i, new byte[0], 0644, 0, 0, t);
        }
        w.commit();
        byte[] img = w.toBytes();
        int victim = -1;
        for (int b = 0; b < img.length / 4096; b++) {
            int o = b * 4096;
            int type = FsTree.u32(img, o + 24) & 0xffff;
            int subtype = FsTree.u32(img, o + 28);
            int flags = (img[o + 32] & 0xff) | (img[o + 33] & 0xff) << 8;
            if (type == 3 && subtype == 0x0e && (flags & 2) != 0) {
                victim = b; // a non-root leaf of the file-system tree
            }
        }
        assertTrue(victim > 0, "no fs-tree leaf found");
        img[victim * 4096 + 200] ^= 0x55;
        io.vestige.io.Diagnostics d = new io.vestige.io.Diagnostics();
        ApfsContainer c = ApfsContainer.open(ByteSources.wrap(img), EvidencePath.ofFile("w"),
                OpenOptions.defaults().withDiagnostics(d));
        ApfsVolume v = c.openVolume(0);
        int seen = 0;
        for (FileEntry dir : v.root().children()) {
            seen += dir.children().size();
        }
        assertTrue(seen < 3000, "entries of the damaged leaf are missing: " + seen);
        long at = (long) victim * 4096;
        assertTrue(d.list().stream().anyMatch(x -> x.offset() == at && x.message().contains("skipped")), d.list().toString());
        ApfsVolume strict = v.strict();
        org.junit.jupiter.api.Assertions.assertThrows(io.vestige.io.ChecksumException.class, () -> {
            for (FileEntry dir : strict.root().children()) {
                dir.children();
            }
        });
    }

    /** A bundle deleted and re-created under the same path: the earlier objects are reported as replaced. */
    @Test
    void recreatedPathIsReportedAsReplaced() throws Exception {
        WriterShim w = WriterShim.create(13);
        Object t = WriterShim.times(C, M, CH, A, AD);
        Object data = w.volume("Data", "DATA", true);
        call(data, "file", "/private/tmp/vpn.x/agent", "first".getBytes(StandardCharsets.US_ASCII), 0755, 0, 0, t);
        w.commit();
        call(data, "delete", "/private/tmp/vpn.x/agent");
        w.commit();
        call(data, "file", "/private/tmp/vpn.x/agent", "second".getBytes(StandardCharsets.US_ASCII), 0755, 0, 0, t);
        w.commit();
        ApfsContainer c = ApfsContainer.open(ByteSources.wrap(w.toBytes()));
        List<ApfsHistory.Vanished> gone = ApfsHistory.deletedAcrossHistory(c, 0);
        assertEquals(1, gone.size(), gone.toString());
        ApfsHistory.Vanished g = gone.get(0);
        assertEquals("/private/tmp/vpn.x/agent", g.path());
        assertEquals("replaced", g.status());
        assertEquals("first", new String(g.entry().content().readBytes(0, 5), StandardCharsets.US_ASCII));
        assertEquals("second", new String(c.openVolume(0).lookup(g.path()).content().readBytes(0, 6),
                StandardCharsets.US_ASCII));
    }
}
