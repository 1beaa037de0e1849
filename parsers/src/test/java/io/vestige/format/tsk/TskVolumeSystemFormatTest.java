package io.vestige.format.tsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.Partition;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.evidence.VolumeSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TSK's volume systems as a Vestige VolumeSystemFormat, checked against {@code mmls}; and the whole chain through the standard registry. */
class TskVolumeSystemFormatTest {

    @Test
    @Tag("corpus")
    void gptPartitionMatchesMmlsInProcessAndIsolated() throws Exception {
        TskAssume.library();
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        for (boolean isolate : new boolean[] {false, true}) {
            try (ByteSource src = ByteSources.open(img)) {
                TskVolumeSystemFormat f = new TskVolumeSystemFormat(null, isolate);
                assertTrue(f.probe(src));
                VolumeSystem vs = f.open(src, EvidencePath.ofFile("r2_apfs_gpt.img"), OpenOptions.defaults());
                assertEquals("gpt", vs.type());
                assertEquals(512, vs.blockSize());
                List<Partition> parts = vs.partitions();
                assertEquals(1, parts.size());
                // mmls: 004:  000  0000000040  0000004055  0000004016  disk image
                assertEquals(40 * 512, parts.get(0).offset());
                assertEquals(4016L * 512, parts.get(0).length());
                assertEquals("disk image", parts.get(0).typeName());
                assertEquals(1, parts.get(0).index());
            }
        }
    }

    @Test
    void garbageHasNoVolumeSystem() throws Exception {
        TskAssume.library();
        byte[] junk = new byte[1 << 20];
        new Random(7).nextBytes(junk);
        assertFalse(new TskVolumeSystemFormat().probe(ByteSources.wrap(junk)));
        assertFalse(new TskVolumeSystemFormat(null, false).probe(ByteSources.wrap(new byte[1 << 16])));
    }

    @Test
    @Tag("corpus")
    void standardRegistryOpensApfsInsideGptThroughTsk() throws Exception {
        TskAssume.library();
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        try (OpenedEvidence ev = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).open(img)) {
            assertEquals(1, ev.fileSystems().size(), ev.diagnostics().toString());
            FileSystem fs = ev.fileSystems().get(0);
            assertEquals("apfs", fs.type());
            assertTrue(fs.evidencePath().toString().contains("gpt #1 @ 20480"), fs.evidencePath().toString());
            // icat -o 40 -B 153 r2_apfs_gpt.img 21 prints "hello world\n"
            io.vestige.evidence.FileEntry hello = fs.lookup("/hello.txt");
            assertEquals(12, hello.size());
            assertEquals("hello world\n", new String(hello.content().readBytes(0, 12), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
