package io.vestige.format.apfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ChecksumException;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damage applied in memory to a copy of the dfVFS container. Layout facts used here come from
 * {@code pstat} and the descriptor ring itself: 4 KiB blocks, checkpoint superblocks for xids
 * 1–4 at ring blocks 2, 4, 6, 8; live volume superblock at block 107 (pstat "APSB Block Number").
 */
@Tag("corpus")
class ApfsDamageCorpusTest {
    static final int BS = 4096;

    static byte[] image() throws Exception {
        return Files.readAllBytes(Corpus.file("apfs/dfvfs_apfs.raw"));
    }

    static long xidAt(byte[] img, int block) {
        return ObjectMap.le64(img, block * BS + 16);
    }

    static int newestRingBlock(byte[] img) {
        long base = ObjectMap.le64(img, 112);
        long blocks = FsTree.u32(img, 104) & 0x7fffffff;
        int best = -1;
        long bestXid = -1;
        for (int i = 0; i < blocks; i++) {
            int b = (int) (base + i);
            if (img[b * BS + 32] == 'N' && img[b * BS + 33] == 'X' && xidAt(img, b) > bestXid) {
                best = b;
                bestXid = xidAt(img, b);
            }
        }
        return best;
    }

    @Test
    void newestCheckpointDamagedFallsBackToOlder() throws Exception {
        byte[] img = image();
        int newest = newestRingBlock(img);
        long newestXid = xidAt(img, newest);
        assertEquals(newestXid, xidAt(img, 0), "block 0 mirrors the newest checkpoint");
        img[newest * BS + 200] ^= 0x5a; // breaks the Fletcher-64 of the ring copy
        img[200] ^= 0x5a; // and of block 0, which is a copy of it
        OpenOptions o = OpenOptions.defaults();
        ApfsContainer c = ApfsContainer.open(ByteSources.wrap(img, "damaged"), EvidencePath.ofFile("damaged"), o);
        assertTrue(c.current().xid() < newestXid, "older checkpoint used: " + c.current().xid());
        List<Diagnostic> d = o.diagnostics().list();
        String hex = "0x" + Long.toHexString((long) newest * BS);
        assertTrue(d.stream().anyMatch(x -> x.offset() == (long) newest * BS && x.message().contains("block " + newest)),
                "a diagnostic names block " + newest + " (" + hex + "): " + d);
        assertTrue(d.stream().anyMatch(x -> x.offset() == 0), "block 0 damage reported: " + d);
        // the older checkpoint still shows the ground-truth tree
        ApfsVolume v = c.openVolume(0);
        assertEquals(c.current().xid(), v.xid());
        assertEquals(116, v.lookup("/passwords.txt").size());
    }

    @Test
    void block0DamagedStillFoundThroughRing() throws Exception {
        byte[] img = image();
        java.util.Arrays.fill(img, 0, BS, (byte) 0);
        OpenOptions o = OpenOptions.defaults();
        ApfsContainer c = ApfsContainer.open(ByteSources.wrap(img, "noblock0"), EvidencePath.ofFile("x"), o);
        assertEquals(xidAt(image(), 0), c.current().xid());
        assertTrue(o.diagnostics().list().stream().anyMatch(x -> x.message().startsWith("block 0")), o.diagnostics().list().toString());
        assertEquals(null, c.block0());
        assertEquals(53, c.openVolume(0).lookup("/a_directory/a_file").size());
    }

    @Test
    void checkpointsListHistoryAndOlderViews() throws Exception {
        ByteSource src = ByteSources.open(Corpus.file("apfs/dfvfs_apfs.raw"));
        ApfsContainer c = ApfsContainer.open(src);
        List<Long> xids = c.checkpoints().stream().map(ApfsCheckpoint::xid).toList();
        assertEquals(List.of(4L, 3L, 2L, 1L), xids);
        for (ApfsCheckpoint cp : c.checkpoints()) {
            assertEquals(cp.xid(), xidAt(image(), (int) cp.block()));
            assertTrue(cp.mapsValid());
        }
        // xid 2: the volume existed but was still empty (hdiutil filled it in later transactions)
        ApfsVolume v2 = c.openVolume(0, 2);
        assertEquals(2, v2.xid());
        assertEquals(0, v2.root().children().size());
        // a view "older" than xid 4 that lacks everything: the history machinery reports every entry, with its xid
        ApfsVolume v4 = c.openVolume(0);
        List<ApfsHistory.Vanished> gone = ApfsHistory.deletedSince(v2, v4);
        Set<String> paths = gone.stream().map(ApfsHistory.Vanished::path).collect(Collectors.toSet());
        assertEquals(Set.of("/.fseventsd", "/.fseventsd/fseventsd-uuid", "/.fseventsd/000000001714941a",
                "/.fseventsd/000000001714941b", "/a_directory", "/a_directory/a_file", "/a_directory/another_file",
                "/a_directory/a_resourcefork", "/a_link", "/passwords.txt"), paths);
        assertTrue(gone.stream().allMatch(g -> g.seenXid() == 4 && g.status().equals("deleted")));
        // nothing vanished between the live view and its own history
        assertEquals(List.of(), ApfsHistory.deletedAcrossHistory(c, 0));
        // xid=N option selects the view
        List<io.vestige.evidence.FileSystem> at3 = new ApfsFormat().open(src, EvidencePath.ofFile("x"),
                OpenOptions.defaults().with("xid", "3"));
        assertEquals(3L, ((ApfsVolume) at3.get(0)).xid());
        assertThrows(MalformedException.class, () -> new ApfsFormat().open(src, EvidencePath.ofFile("x"),
                OpenOptions.defaults().with("snapshot", "nope")));
    }

    @Test
    void damagedFsNodeGivesChecksumErrorWithOffset() throws Exception {
        byte[] img = image();
        ApfsVolume v = ApfsContainer.open(ByteSources.wrap(img.clone(), "ok")).openVolume(0);
        long rootNode = v.tree().tree.root().paddr;
        img[(int) rootNode * BS + 300] ^= 1;
        ApfsVolume bad = ApfsContainer.open(ByteSources.wrap(img, "bad")).openVolume(0);
        ChecksumException e = assertThrows(ChecksumException.class, bad::root);
        assertEquals(rootNode * BS, e.offset(), e.getMessage());
    }

    @Test
    void lyingKeyCountIsRejected() throws Exception {
        byte[] img = image();
        ApfsVolume v = ApfsContainer.open(ByteSources.wrap(img.clone(), "ok")).openVolume(0);
        int node = (int) v.tree().tree.root().paddr * BS;
        img[node + 36] = (byte) 0xff;
        img[node + 37] = (byte) 0xff;
        img[node + 38] = (byte) 0xff;
        img[node + 39] = (byte) 0x7f;
        resign(img, node);
        MalformedException e = assertThrows(MalformedException.class,
                () -> ApfsContainer.open(ByteSources.wrap(img, "lying")).openVolume(0).root());
        assertTrue(e.getMessage().contains("btn_nkeys"), e.getMessage());
        assertEquals(node + 36, e.offset());
    }

    @Test
    void extentBeyondContainerIsReportedNotRead() throws Exception {
        byte[] img = image();
        ApfsVolume v = ApfsContainer.open(ByteSources.wrap(img.clone(), "ok")).openVolume(0);
        BTreeNode root = v.tree().tree.root();
        int node = (int) root.paddr * BS;
        long pid = ((ApfsEntry) v.lookup("/passwords.txt")).inodeRecord().privateId();
        boolean patched = false;
        for (int i = 0; i < root.nkeys; i++) {
            if (FsTree.objId(root.data, root.kOff[i]) == pid && FsTree.type(root.data, root.kOff[i]) == Apfs.J_FILE_EXTENT) {
                int p = node + root.vOff[i] + 8;
                for (int k = 0; k < 8; k++) {
                    img[p + k] = (byte) (k < 4 ? 0xee : 0); // phys block far beyond the 1014-block container
                }
                patched = true;
            }
        }
        assertTrue(patched);
        resign(img, node);
        FileEntry f = ApfsContainer.open(ByteSources.wrap(img, "x")).openVolume(0).lookup("/passwords.txt");
        assertEquals(EntryKind.FILE, f.kind());
        io.vestige.io.TruncatedException e = assertThrows(io.vestige.io.TruncatedException.class,
                () -> f.content().readBytes(0, 116));
        assertTrue(e.getMessage().contains("outside the container"), e.getMessage());
    }

    /** A directory record pointing back at the root (a cycle) is skipped with a diagnostic, not followed. */
    @Test
    void directoryCycleIsNotFollowed() throws Exception {
        byte[] img = image();
        ApfsVolume v = ApfsContainer.open(ByteSources.wrap(img.clone(), "ok")).openVolume(0);
        BTreeNode root = v.tree().tree.root();
        int node = (int) root.paddr * BS;
        boolean patched = false;
        for (int i = 0; i < root.nkeys; i++) {
            if (FsTree.objId(root.data, root.kOff[i]) == 2 && FsTree.type(root.data, root.kOff[i]) == Apfs.J_DIR_REC
                    && ObjectMap.le64(root.data, root.vOff[i]) == 16) {
                img[node + root.vOff[i]] = 2; // a_directory -> inode 2 (the root itself)
                patched = true;
            }
        }
        assertTrue(patched);
        resign(img, node);
        OpenOptions o = OpenOptions.defaults();
        ApfsVolume bad = ApfsContainer.open(ByteSources.wrap(img, "cycle"), EvidencePath.ofFile("c"), o).openVolume(0);
        List<String> names = bad.root().children().stream().map(FileEntry::name).toList();
        assertEquals(List.of(".fseventsd", "a_link", "passwords.txt"), names);
        assertTrue(o.diagnostics().list().stream().anyMatch(d -> d.message().contains("cycle")), o.diagnostics().list().toString());
        assertThrows(MalformedException.class, () -> bad.strict().root().children());
    }

    /** Directory-record hashes on disk equal CRC-32C of the NFD UTF-32LE name without the final XOR (FORMATS §3.5). */
    @Test
    void nameHashesMatchStoredHashes() throws Exception {
        ApfsVolume v = ApfsContainer.open(ByteSources.open(Corpus.file("apfs/dfvfs_apfs.raw"))).openVolume(0);
        assertTrue(v.superblock().hashedNames());
        int checked = 0;
        for (FileEntry e : ApfsCorpusTest.walk(v).values()) {
            if (e instanceof ApfsEntry a && a.drecRecord() != null) {
                assertEquals(a.drecRecord().nameHash(), NameHash.hash(a.name(), v.superblock().caseInsensitive()), a.path());
                checked++;
            }
        }
        assertEquals(10, checked);
    }

    /**
     * A volume flagged encrypted (APFS_FS_UNENCRYPTED cleared) whose tree blocks do not verify — as
     * ciphertext would not — is reported as encrypted, never listed as garbage.
     */
    @Test
    void encryptedVolumeIsReportedPlainly() throws Exception {
        byte[] img = image();
        ApfsVolume v = ApfsContainer.open(ByteSources.wrap(img.clone(), "ok")).openVolume(0);
        int apsb = (int) v.superblock().paddr() * BS;
        assertEquals(1, img[apsb + 264] & 1, "fixture volume starts unencrypted");
        img[apsb + 264] &= ~1;
        resign(img, apsb);
        int node = (int) v.tree().tree.root().paddr * BS;
        for (int i = 0; i < BS; i++) {
            img[node + i] = (byte) (i * 31 + 7); // stands in for ciphertext
        }
        OpenOptions o = OpenOptions.defaults();
        List<io.vestige.evidence.FileSystem> fss = new ApfsFormat().open(ByteSources.wrap(img, "enc"),
                EvidencePath.ofFile("enc"), o);
        assertEquals(1, fss.size());
        ApfsVolume enc = (ApfsVolume) fss.get(0);
        assertEquals(Boolean.TRUE, enc.info().get("encrypted"));
        assertEquals("apfs_test", enc.label());
        io.vestige.io.UnsupportedFormatException e = assertThrows(io.vestige.io.UnsupportedFormatException.class,
                enc::root);
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        assertTrue(o.diagnostics().list().stream().anyMatch(d -> d.message().contains("is encrypted")),
                o.diagnostics().list().toString());
    }

    static void resign(byte[] img, int off) {
        byte[] block = java.util.Arrays.copyOfRange(img, off, off + BS);
        long c = Fletcher64.compute(block, BS);
        for (int i = 0; i < 8; i++) {
            img[off + i] = (byte) (c >>> (8 * i));
        }
    }
}
