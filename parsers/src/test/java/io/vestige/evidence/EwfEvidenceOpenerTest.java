package io.vestige.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.disk.DiskImageWriter;
import io.vestige.fixtures.ewf.EwfWriter;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard registry opens E01 images down to their partition maps. */
class EwfEvidenceOpenerTest {
    @TempDir
    Path dir;

    @Test
    void gptDiskInsideAnE01() throws Exception {
        Path raw = dir.resolve("disk.raw");
        DiskImageWriter.writeGpt(raw, 8192, List.of(
                new DiskImageWriter.GptPartition(DiskImageWriter.EFI_SYSTEM, UUID.randomUUID(), 40, 2087, 0, "EFI", null),
                new DiskImageWriter.GptPartition(DiskImageWriter.APFS, UUID.randomUUID(), 2088, 8000, 0, "Macintosh HD",
                        null)), new DiskImageWriter.GptOptions());
        EwfWriter.Written w = EwfWriter.write(dir.resolve("mac.E01"), Files.readAllBytes(raw), new EwfWriter.Options());
        EvidenceOpener op = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults());
        assertEquals("ewf", op.detect(w.segments().get(0)).name());
        try (OpenedEvidence ev = op.open(w.segments().get(0))) {
            assertEquals(1, ev.layouts().size());
            VolumeSystem vs = ev.layouts().get(0).volumeSystem();
            assertEquals("gpt", vs.type());
            Partition p = vs.partitions().get(1);
            assertEquals("Apple APFS", p.typeName());
            assertEquals("Macintosh HD", p.name());
            assertEquals(2088L * 512, p.offset());
            assertEquals("mac.E01 \u203a gpt #2 @ 1069056", p.evidencePath().toString());
        }
    }

    @Tag("corpus")
    @Test
    void ftkE01PartitionsMatchMmls() throws Exception {
        Path e01 = Corpus.file("ewf/tsk_imageformat_mmls_1.E01");
        EvidenceOpener op = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults());
        try (OpenedEvidence ev = op.open(e01)) {
            VolumeSystem vs = ev.layouts().get(0).volumeSystem();
            assertEquals("mbr", vs.type());
            Tools.assume("mmls", "sleuthkit");
            Tools.Result r = Tools.run(List.of("mmls", e01.toString()));
            List<long[]> ref = new ArrayList<>();
            for (String line : r.out().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5 && f[1].matches("\\d+:\\d+")) {
                    ref.add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[4])});
                }
            }
            assertEquals(ref.size(), vs.partitions().size());
            for (int i = 0; i < ref.size(); i++) {
                assertEquals(ref.get(i)[0] * 512, vs.partitions().get(i).offset());
                assertEquals(ref.get(i)[1] * 512, vs.partitions().get(i).length());
                assertEquals("0x07", vs.partitions().get(i).type());
            }
            assertTrue(r.out().contains("NTFS / exFAT (0x07)"));
        }
    }
}
