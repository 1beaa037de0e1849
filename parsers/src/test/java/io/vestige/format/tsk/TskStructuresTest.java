package io.vestige.format.tsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ParseLimits;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mapped structure offsets checked by behaviour: each field read through its offset must equal
 * what {@code fsstat}, {@code istat}, {@code mmls} and {@code pstat} print for the same image.
 */
@Tag("corpus")
class TskStructuresTest {

    private static String run(String... cmd) throws Exception {
        Tools.assume(cmd[0], "sleuthkit");
        Tools.Result r = Tools.run(List.of(cmd));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.out();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return m.group(1);
    }

    @Test
    void fsInfoAgreesWithFsstat() throws Exception {
        TskLibrary lib = TskAssume.library();
        String img = Corpus.file("hfsplus/dfvfs_hfsplus.raw").toString();
        String fsstat = run("fsstat", img);
        try (ByteSource src = ByteSources.open(java.nio.file.Path.of(img)); TskImage image = lib.openImage(src);
             TskFs fs = image.openFileSystem(0)) {
            TskFsInfo i = fs.info();
            assertEquals(TskFsInfo.TAG, i.tag());
            assertEquals(TskFsInfo.TYPE_HFS, i.ftype());
            assertEquals("hfsplus", i.typeName());
            assertEquals(Long.parseLong(group(fsstat, "^Allocation Block Size: (\\d+)")), i.blockSize());
            assertEquals(Long.parseLong(group(fsstat, "^Block Range: 0 - (\\d+)")) + 1, i.blockCount());
            assertEquals(Long.parseLong(group(fsstat, "^Range: (\\d+) - \\d+")), i.firstInum());
            assertEquals(Long.parseLong(group(fsstat, "^Range: \\d+ - (\\d+)")), i.lastInum());
            assertEquals(2, i.rootInum()); // HFS+ root folder CNID
            // TSK_FS_NAME.par_addr: every child of /a_directory names it as parent
            long dir = fs.list(i.rootInum(), ParseLimits.defaults()).stream()
                    .filter(c -> c.name().name().equals("a_directory")).findFirst().orElseThrow().name().metaAddr();
            List<TskFs.Child> kids = fs.list(dir, ParseLimits.defaults());
            assertEquals(3, kids.size());
            for (TskFs.Child c : kids) {
                assertEquals(dir, c.name().parAddr());
                assertEquals(TskFsName.TAG, c.name().tag());
                assertEquals(TskFsMeta.TAG, c.meta().tag());
                assertEquals(c.name().metaAddr(), c.meta().addr());
            }
        }
    }

    @Test
    void metaAndNameAgreeWithIstatIncludingNanoseconds() throws Exception {
        TskAssume.library();
        String img = Corpus.file("apfs/dfvfs_apfs.raw").toString();
        String istat = run("istat", "-B", "107", img, "17");
        try (ByteSource src = ByteSources.open(java.nio.file.Path.of(img))) {
            List<FileSystem> l = new TskFormat().open(src, io.vestige.evidence.EvidencePath.ofFile("x"), OpenOptions.defaults());
            try (FileSystem fs = l.get(0)) {
                FileEntry e = fs.lookup("/a_directory/a_file");
                assertNotNull(e);
                assertEquals(17, e.inode());
                assertEquals(Long.parseLong(group(istat, "^Size:\\s+(\\d+)")), e.size());
                assertEquals(Long.parseLong(group(istat, "^owner / group: (\\d+) /")), e.uid());
                assertEquals(Long.parseLong(group(istat, "^owner / group: \\d+ / (\\d+)")), e.gid());
                assertEquals(Long.parseLong(group(istat, "^Number of Links: (\\d+)")), e.linkCount());
                assertEquals(0100644, e.mode()); // istat: rrw-r--r--
                FileTimes t = e.times();
                assertEquals(istatTime(istat, "Created"), t.created());
                assertEquals(istatTime(istat, "Content Modified"), t.modified());
                assertEquals(istatTime(istat, "Attributes Modified"), t.changed());
                assertEquals(istatTime(istat, "Accessed"), t.accessed());
                assertEquals(istatTime(istat, "Date Added"), t.added());
                assertTrue(t.modified().getNano() != 0);
            }
        }
    }

    private static Instant istatTime(String istat, String label) {
        String v = group(istat, "^" + label + ":\\s+(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9}) \\(UTC\\)");
        return Instant.parse(v.replace(' ', 'T') + "Z");
    }

    @Test
    void volumeSystemAndPoolAgreeWithMmlsAndPstat() throws Exception {
        TskLibrary lib = TskAssume.library();
        java.nio.file.Path p = Corpus.file("apfs/r2_apfs_gpt.img");
        String mmls = run("mmls", p.toString());
        String pstat = run("pstat", "-o", "40", p.toString());
        try (TskImage image = lib.openImage(List.of(p))) {
            TskVsInfo vs = image.volumeSystem(0, ParseLimits.defaults());
            assertNotNull(vs);
            assertEquals(512, vs.blockSize());
            assertEquals("gpt", vs.typeName());
            List<TskVsPartInfo> alloc = vs.parts().stream().filter(TskVsPartInfo::allocated).toList();
            assertEquals(1, alloc.size());
            Matcher m = Pattern.compile("^\\d+:\\s+000\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.+)$", Pattern.MULTILINE).matcher(mmls);
            assertTrue(m.find(), mmls);
            assertEquals(Long.parseLong(m.group(1)), alloc.get(0).start());
            assertEquals(Long.parseLong(m.group(3)), alloc.get(0).length());
            assertEquals(m.group(4).trim(), alloc.get(0).desc());
            // every slot mmls prints (including Meta and Unallocated) is one TSK_VS_PART_INFO
            long slots = mmls.lines().filter(l -> l.matches("^\\d{3}:.*")).count();
            assertEquals(slots, vs.parts().size());
            try (TskPool pool = image.openPool(alloc.get(0).start() * 512)) {
                assertEquals(Long.parseLong(group(pstat, "^Block Size:\\s+(\\d+) B")), pool.blockSize());
                TskPoolInfo info = pool.info();
                assertEquals(TskPoolInfo.TAG, info.tag());
                assertEquals(TskPoolInfo.TYPE_APFS, info.ctype());
                assertEquals(Long.parseLong(group(pstat, "^Number of Blocks:\\s+(\\d+)")), info.numBlocks());
                assertEquals(1, info.numVols());
                List<TskPoolVolumeInfo> vols = pool.volumes();
                assertEquals(1, vols.size());
                assertEquals(Long.parseLong(group(pstat, "APSB Block Number: (\\d+)")), vols.get(0).block());
                assertEquals(group(pstat, "Name \\(Role\\): (.+?) \\("), vols.get(0).desc());
            }
        }
    }
}
