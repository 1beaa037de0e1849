package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.fail;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.VolumeSystem;
import io.vestige.evidence.VolumeSystemFormat;
import io.vestige.fixtures.disk.DiskImageWriter;
import io.vestige.fixtures.ewf.EwfWriter;
import io.vestige.fixtures.ewf.Ex01Writer;
import io.vestige.format.apm.ApmFormat;
import io.vestige.format.gpt.GptFormat;
import io.vestige.format.mbr.MbrFormat;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.MediaHasher;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte damage in EWF1, EWF2, GPT, MBR and APM inputs: the readers may reject the input
 * with an IOException (ParseException) or report diagnostics, but never throw anything else and
 * never hang.
 */
class FormatFuzzTest {
    @TempDir
    Path dir;

    private static void mutate(byte[] b, Random r, int flips, int from) {
        for (int i = 0; i < flips; i++) {
            int at = from + r.nextInt(b.length - from);
            b[at] = (byte) r.nextInt(256);
        }
    }

    @Test
    void ewf1() throws Exception {
        byte[] m = EwfWriterReaderTest.media(600, 31);
        EwfWriter.Options o = new EwfWriter.Options();
        o.maxTableEntries = 3;
        EwfWriter.Written w = EwfWriter.write(dir.resolve("f.E01"), m, o);
        byte[] good = Files.readAllBytes(w.segments().get(0));
        Random r = new Random(1);
        Path f = dir.resolve("g.E01");
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            mutate(b, r, 1 + r.nextInt(8), i % 3 == 0 ? 0 : 13);
            if (i % 7 == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            Files.write(f, b);
            try (EwfImage img = EwfImage.open(f, ParseLimits.defaults(), new Diagnostics())) {
                MediaHasher.hash(img, List.of("md5"), 2, null);
                img.readBytes(Math.max(0, img.size() / 2 - 10), (int) Math.min(img.size(), 20));
            } catch (IOException expected) {
                // rejected cleanly
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + ": " + e, e);
            }
        }
    }

    @Test
    void ewf2() throws Exception {
        byte[] m = EwfWriterReaderTest.media(600, 32);
        Ex01Writer.Options o = new Ex01Writer.Options();
        o.maxTableEntries = 3;
        Ex01Writer.Written w = Ex01Writer.write(dir.resolve("f.Ex01"), m, o);
        byte[] good = Files.readAllBytes(w.segments().get(0));
        Random r = new Random(2);
        Path f = dir.resolve("g.Ex01");
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            mutate(b, r, 1 + r.nextInt(8), i % 2 == 0 ? 32 : b.length - 400);
            Files.write(f, b);
            try (Ewf2Image img = Ewf2Image.open(f, ParseLimits.defaults(), new Diagnostics())) {
                MediaHasher.hash(img, List.of("md5"), 2, null);
            } catch (IOException expected) {
                // rejected cleanly
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + ": " + e, e);
            }
        }
    }

    @Test
    void partitionMaps() throws Exception {
        Path gpt = dir.resolve("gpt.img");
        DiskImageWriter.writeGpt(gpt, 20_000, List.of(
                new DiskImageWriter.GptPartition(DiskImageWriter.APFS, UUID.randomUUID(), 40, 10_000, 0, "a", null)),
                new DiskImageWriter.GptOptions());
        Path mbr = dir.resolve("mbr.img");
        DiskImageWriter.writeMbr(mbr, 20_000, List.of(new DiskImageWriter.MbrPartition(0x83, false, 63, 1000, null)),
                2000, List.of(new DiskImageWriter.MbrPartition(0x07, false, 2001, 100, null),
                        new DiskImageWriter.MbrPartition(0x07, false, 3001, 100, null)));
        Path apm = dir.resolve("apm.img");
        DiskImageWriter.writeApm(apm, 512, 20_000, List.of(
                new DiskImageWriter.ApmPartition("Apple_HFS", "x", 64, 1000, null)));
        Random r = new Random(3);
        for (Path p : List.of(gpt, mbr, apm)) {
            byte[] good = Files.readAllBytes(p);
            for (int i = 0; i < 300; i++) {
                byte[] b = good.clone();
                // damage the map areas: first 40 sectors, EBRs, the backup GPT
                for (int k = 0; k < 1 + r.nextInt(6); k++) {
                    int region = r.nextInt(3);
                    int at = region == 0 ? r.nextInt(40 * 512) : region == 1 ? 2000 * 512 + r.nextInt(1200 * 512)
                            : b.length - 1 - r.nextInt(40 * 512);
                    b[at] = (byte) r.nextInt(256);
                }
                for (VolumeSystemFormat f : List.of(new GptFormat(), new ApmFormat(), new MbrFormat())) {
                    try {
                        var src = ByteSources.wrap(b, p.getFileName().toString());
                        if (f.probe(src)) {
                            VolumeSystem vs = f.open(src, EvidencePath.ofFile("x"), OpenOptions.defaults());
                            vs.partitions().forEach(pt -> {
                                if (pt.source().size() > pt.length()) {
                                    fail("slice larger than partition");
                                }
                            });
                        }
                    } catch (IOException expected) {
                        // rejected cleanly
                    } catch (RuntimeException e) {
                        throw new AssertionError(f.name() + " on " + p.getFileName() + " iteration " + i + ": " + e, e);
                    }
                }
            }
        }
    }
}
