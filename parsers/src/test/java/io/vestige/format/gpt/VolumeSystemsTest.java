package io.vestige.format.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.Partition;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.evidence.VolumeSystem;
import io.vestige.evidence.VolumeSystemFormat;
import io.vestige.fixtures.disk.DiskImageWriter;
import io.vestige.fixtures.disk.DiskImageWriter.ApmPartition;
import io.vestige.fixtures.disk.DiskImageWriter.GptPartition;
import io.vestige.fixtures.disk.DiskImageWriter.MbrPartition;
import io.vestige.format.apm.ApmFormat;
import io.vestige.format.mbr.MbrFormat;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseException;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT, MBR and APM readers against the fixtures' disk writer and The Sleuth Kit's mmls. */
class VolumeSystemsTest {
    @TempDir
    Path dir;

    /** mmls rows that are partitions: {start, length, description}. */
    static List<String[]> mmls(Path img, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mmls"));
        cmd.addAll(List.of(extra));
        cmd.add(img.toString());
        Tools.Result r = Tools.run(cmd);
        assertEquals(0, r.exitCode(), r.stderr());
        List<String[]> rows = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            // 004:  000      0000000040   0000000439   0000000400   name
            String[] f = line.trim().split("\\s+", 6);
            if (f.length >= 5 && f[0].matches("\\d+:") && f[1].matches("\\d+(:\\d+)?")) {
                rows.add(new String[] {f[2], f[4], f.length > 5 ? f[5] : ""});
            }
        }
        return rows;
    }

    static List<GptPartition> appleLayout() {
        return List.of(
                new GptPartition(DiskImageWriter.EFI_SYSTEM, UUID.randomUUID(), 40, 409639, 0, "EFI System Partition", null),
                new GptPartition(DiskImageWriter.APFS, UUID.randomUUID(), 409640, 600000, 0, "Macintosh HD", null),
                new GptPartition(DiskImageWriter.HFS_PLUS, UUID.randomUUID(), 600008, 700000, 0, "Old HFS", null),
                new GptPartition(DiskImageWriter.APPLE_BOOT, UUID.randomUUID(), 700008, 720000, 0, "Recovery HD", null),
                new GptPartition(DiskImageWriter.MS_BASIC_DATA, UUID.randomUUID(), 720008, 800000, 0, "BOOTCAMP", null),
                new GptPartition(DiskImageWriter.LINUX_FS, UUID.randomUUID(), 800008, 900000, 0, "linux", null));
    }

    private static VolumeSystem open(VolumeSystemFormat f, Path img) throws Exception {
        ByteSource src = ByteSources.open(img);
        assertTrue(f.probe(src));
        return f.open(src, EvidencePath.ofFile(img.getFileName().toString()), OpenOptions.defaults());
    }

    @Test
    void gpt512MatchesMmlsAndWriter() throws Exception {
        Path img = dir.resolve("gpt.img");
        DiskImageWriter.writeGpt(img, 1_000_000, appleLayout(), new DiskImageWriter.GptOptions());
        VolumeSystem vs = open(new GptFormat(), img);
        assertEquals("gpt", vs.type());
        assertEquals(512, vs.blockSize());
        assertEquals(6, vs.partitions().size());
        Partition apfs = vs.partitions().get(1);
        assertEquals(2, apfs.index());
        assertEquals("7C3457EF-0000-11AA-AA11-00306543ECAC", apfs.type());
        assertEquals("Apple APFS", apfs.typeName());
        assertEquals("Macintosh HD", apfs.name());
        assertEquals(409640L * 512, apfs.offset());
        assertEquals((600000L - 409640 + 1) * 512, apfs.length());
        assertEquals("gpt.img \u203a gpt #2 @ 209735680", apfs.evidencePath().toString());
        assertEquals(List.of("EFI System", "Apple APFS", "Apple HFS+", "Apple Boot (Recovery HD)",
                "Microsoft Basic Data", "Linux filesystem"), vs.partitions().stream().map(Partition::typeName).toList());
        assertTrue(vs.diagnostics().isEmpty(), vs.diagnostics().toString());
        Tools.assume("mmls", "sleuthkit");
        List<String[]> rows = mmls(img, "-t", "gpt");
        List<String[]> parts = rows.stream().filter(r -> !r[2].startsWith("Unallocated") && !r[2].startsWith("Safety")
                && !r[2].startsWith("GPT Header") && !r[2].startsWith("Partition Table")).toList();
        assertEquals(vs.partitions().size(), parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Partition p = vs.partitions().get(i);
            assertEquals(p.offset() / 512, Long.parseLong(parts.get(i)[0]));
            assertEquals(p.length() / 512, Long.parseLong(parts.get(i)[1]));
            assertEquals(p.name(), parts.get(i)[2]);
        }
    }

    @Test
    void gpt4096() throws Exception {
        Path img = dir.resolve("gpt4k.img");
        DiskImageWriter.GptOptions o = new DiskImageWriter.GptOptions();
        o.sectorSize = 4096;
        DiskImageWriter.writeGpt(img, 100_000, List.of(
                new GptPartition(DiskImageWriter.EFI_SYSTEM, UUID.randomUUID(), 6, 50000, 0, "EFI", null),
                new GptPartition(DiskImageWriter.APFS, UUID.randomUUID(), 50001, 99000, 0, "Data", null)), o);
        VolumeSystem vs = open(new GptFormat(), img);
        assertEquals(4096, vs.blockSize());
        assertEquals(50001L * 4096, vs.partitions().get(1).offset());
        assertEquals((99000L - 50001 + 1) * 4096, vs.partitions().get(1).length());
        Tools.assume("mmls", "sleuthkit");
        List<String[]> rows = mmls(img, "-t", "gpt", "-b", "4096");
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("0000050001") && r[1].equals("0000049000")
                && r[2].equals("Data")), rows.stream().map(r -> String.join("|", r)).toList().toString());
    }

    @Test
    void damagedPrimaryFallsBackToBackup() throws Exception {
        for (boolean header : new boolean[] {true, false}) {
            Path img = dir.resolve("bad" + header + ".img");
            DiskImageWriter.GptOptions o = new DiskImageWriter.GptOptions();
            o.corruptPrimaryHeader = header;
            o.corruptPrimaryEntries = !header;
            DiskImageWriter.writeGpt(img, 1_000_000, appleLayout(), o);
            VolumeSystem vs = open(new GptFormat(), img);
            assertEquals(6, vs.partitions().size());
            assertEquals(Boolean.TRUE, vs.info().get("usedBackup"));
            assertTrue(vs.diagnostics().stream().anyMatch(d -> d.message().contains("backup GPT")),
                    vs.diagnostics().toString());
            assertTrue(vs.diagnostics().stream().anyMatch(d -> d.message().contains(header ? "CRC-32" : "entry array")),
                    vs.diagnostics().toString());
        }
    }

    @Test
    void hugeEntryCountFailsCleanly() throws Exception {
        Path img = dir.resolve("huge.img");
        DiskImageWriter.GptOptions o = new DiskImageWriter.GptOptions();
        o.writeBackup = false;
        DiskImageWriter.writeGpt(img, 10_000, appleLayout().subList(0, 0), o);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            byte[] h = new byte[92];
            f.seek(512);
            f.readFully(h);
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(80, 0x7fffffff).putInt(16, 0);
            CRC32 c = new CRC32();
            c.update(h);
            b.putInt(16, (int) c.getValue());
            f.seek(512);
            f.write(h);
        }
        ParseException e = assertThrows(ParseException.class, () -> open(new GptFormat(), img));
        assertTrue(e instanceof LimitExceededException || e.getMessage().contains("outside"), e.toString());
    }

    @Test
    void mbrWithLogicalsMatchesMmls() throws Exception {
        Path img = dir.resolve("mbr.img");
        DiskImageWriter.writeMbr(img, 200_000, List.of(
                        new MbrPartition(0x07, true, 2048, 20000, null),
                        new MbrPartition(0x83, false, 22048, 30000, null)),
                60000, List.of(
                        new MbrPartition(0x0b, false, 60001, 10000, null),
                        new MbrPartition(0x82, false, 80001, 5000, null),
                        new MbrPartition(0xaf, false, 90001, 20000, null)));
        assertFalse(new GptFormat().probe(ByteSources.open(img)));
        VolumeSystem vs = open(new MbrFormat(), img);
        assertEquals(List.of(1, 2, 5, 6, 7), vs.partitions().stream().map(Partition::index).toList());
        assertEquals(List.of("0x07", "0x83", "0x0b", "0x82", "0xaf"), vs.partitions().stream().map(Partition::type).toList());
        assertEquals(90001L * 512, vs.partitions().get(4).offset());
        assertEquals("Apple HFS/HFS+", vs.partitions().get(4).typeName());
        Tools.assume("mmls", "sleuthkit");
        List<String[]> rows = mmls(img, "-t", "dos");
        List<String[]> parts = rows.stream().filter(r -> r[2].matches(".*\\(0x(07|83|0b|82|af)\\)")).toList();
        assertEquals(5, parts.size(), rows.stream().map(r -> String.join("|", r)).toList().toString());
        for (int i = 0; i < 5; i++) {
            assertEquals(vs.partitions().get(i).offset() / 512, Long.parseLong(parts.get(i)[0]));
            assertEquals(vs.partitions().get(i).length() / 512, Long.parseLong(parts.get(i)[1]));
        }
    }

    @Test
    void mbrRejectsBootSectorsAndProtective() throws Exception {
        byte[] fat = new byte[1 << 20];
        fat[0] = (byte) 0xeb;
        System.arraycopy("MSDOS5.0".getBytes(StandardCharsets.US_ASCII), 0, fat, 3, 8);
        System.arraycopy("FAT32   ".getBytes(StandardCharsets.US_ASCII), 0, fat, 82, 8);
        fat[510] = 0x55;
        fat[511] = (byte) 0xaa;
        assertFalse(new MbrFormat().probe(ByteSources.wrap(fat)));
        byte[] junk = new byte[1 << 20];
        new java.util.Random(3).nextBytes(junk);
        junk[510] = 0x55;
        junk[511] = (byte) 0xaa;
        assertFalse(new MbrFormat().probe(ByteSources.wrap(junk)));
        Path img = dir.resolve("p.img");
        DiskImageWriter.writeGpt(img, 100_000, appleLayout().subList(0, 0), new DiskImageWriter.GptOptions());
        assertFalse(new MbrFormat().probe(ByteSources.open(img)));
    }

    @Test
    void mbrExtendedLoopIsBounded() throws Exception {
        Path img = dir.resolve("loop.img");
        DiskImageWriter.writeMbr(img, 10_000, List.of(), 1000,
                List.of(new MbrPartition(0x83, false, 1001, 100, null), new MbrPartition(0x83, false, 2001, 100, null)));
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            // second EBR (LBA 2000) points back at the first (relative 0)
            byte[] e = new byte[16];
            e[4] = 0x05;
            ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0).putInt(12, 100);
            f.seek(2000L * 512 + 446 + 16);
            f.write(e);
        }
        VolumeSystem vs = open(new MbrFormat(), img);
        assertEquals(2, vs.partitions().size());
        assertTrue(vs.diagnostics().stream().anyMatch(d -> d.message().contains("loops")), vs.diagnostics().toString());
    }

    @Test
    void apmMatchesMmls() throws Exception {
        Path img = dir.resolve("apm.img");
        DiskImageWriter.writeApm(img, 512, 200_000, List.of(
                new ApmPartition("Apple_Driver43", "Macintosh", 64, 32, null),
                new ApmPartition("Apple_HFS", "Untitled", 96, 100_000, null),
                new ApmPartition("Apple_Free", "", 100_096, 10_000, null),
                new ApmPartition("Apple_APFS", "Container", 110_096, 89_904, null)));
        VolumeSystem vs = open(new ApmFormat(), img);
        assertEquals(512, vs.blockSize());
        assertEquals(List.of("Apple_partition_map", "Apple_Driver43", "Apple_HFS", "Apple_APFS"),
                vs.partitions().stream().map(Partition::type).toList());
        assertEquals(List.of(1, 2, 3, 5), vs.partitions().stream().map(Partition::index).toList());
        Partition hfs = vs.partitions().get(2);
        assertEquals("Untitled", hfs.name());
        assertEquals(96L * 512, hfs.offset());
        assertEquals("Apple APFS", vs.partitions().get(3).typeName());
        assertEquals(1, vs.info().get("freeEntries"));
        Tools.assume("mmls", "sleuthkit");
        List<String[]> rows = mmls(img, "-t", "mac");
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("0000000096") && r[1].equals("0000100000")),
                rows.stream().map(r -> String.join("|", r)).toList().toString());
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("0000110096") && r[1].equals("0000089904")));
    }

    @Test
    void registryOrderAndGarbage() throws Exception {
        List<String> names = ProbeRegistry.standard().volumeSystems().stream().map(VolumeSystemFormat::name).toList();
        assertEquals(List.of("gpt", "apm", "mbr", "tsk-vs"), names); // TSK last: the fallback engine
        ByteSource tiny = ByteSources.wrap(new byte[100]);
        for (VolumeSystemFormat f : ProbeRegistry.standard().volumeSystems()) {
            if (f.name().startsWith("tsk")) {
                continue; // needs libtsk; covered by the TSK tests
            }
            assertFalse(f.probe(tiny));
        }
        byte[] er = new byte[4096];
        er[0] = 'E';
        er[1] = 'R';
        er[2] = 2;
        er[512] = 'P';
        er[513] = 'M';
        ByteBuffer.wrap(er).putInt(516, 0x7fffffff);
        assertThrows(ParseException.class, () -> new ApmFormat().open(ByteSources.wrap(er), EvidencePath.ofFile("x"),
                OpenOptions.defaults()));
    }

    @Tag("corpus")
    @Test
    void corpusApfsGpt() throws Exception {
        Path img = Corpus.file("apfs/r2_apfs_gpt.img");
        VolumeSystem vs = open(new GptFormat(), img);
        Partition p = vs.partitions().get(0);
        assertEquals(20480, p.offset());
        assertEquals("Apple APFS", p.typeName());
        Tools.assume("mmls", "sleuthkit");
        List<String[]> rows = mmls(img);
        assertTrue(rows.stream().anyMatch(r -> Long.parseLong(r[0]) == 40 && Long.parseLong(r[1]) == p.length() / 512),
                rows.stream().map(r -> String.join("|", r)).toList().toString());
        assertTrue(Files.size(img) > 0);
    }
}
