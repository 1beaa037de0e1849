package io.vestige.format.apfs;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the dfVFS container: random bytes of one checksummed metadata object are
 * changed and the object is re-signed (so the damage passes the checksum and reaches the parsers).
 * Opening and fully walking the result may fail, but only with an {@link IOException} (the
 * project's parse exceptions), never a RuntimeException, and always quickly.
 */
@Tag("corpus")
class ApfsFuzzCorpusTest {
    static final int BS = 4096;

    @Test
    void mutatedMetadataFailsCleanly() throws Exception {
        byte[] original = Files.readAllBytes(Corpus.file("apfs/dfvfs_apfs.raw"));
        List<Integer> objects = new ArrayList<>();
        for (int b = 0; b < original.length / BS; b++) {
            byte[] blk = java.util.Arrays.copyOfRange(original, b * BS, (b + 1) * BS);
            if (Fletcher64.stored(blk) != 0 && Fletcher64.verify(blk, BS)) {
                objects.add(b);
            }
        }
        assertTrue(objects.size() > 10, "metadata objects found: " + objects.size());
        Random rnd = new Random(20260104);
        int clean = 0;
        int failed = 0;
        for (int round = 0; round < 600; round++) {
            byte[] img = original.clone();
            int blk = objects.get(rnd.nextInt(objects.size()));
            int flips = 1 + rnd.nextInt(8);
            for (int f = 0; f < flips; f++) {
                int off = 8 + rnd.nextInt(BS - 8);
                img[blk * BS + off] = rnd.nextInt(4) == 0 ? (byte) 0xff : (byte) rnd.nextInt(256);
            }
            ApfsDamageCorpusTest.resign(img, blk * BS);
            String what = "round " + round + " block " + blk;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> exercise(img), what);
            if (ok) {
                clean++;
            } else {
                failed++;
            }
        }
        assertTrue(clean > 0 && failed > 0, "clean " + clean + ", failed " + failed);
    }

    /** True when everything was readable, false on a clean parse failure; RuntimeExceptions propagate. */
    private static boolean exercise(byte[] img) {
        try {
            OpenOptions o = OpenOptions.defaults();
            List<FileSystem> fss = new ApfsFormat().open(ByteSources.wrap(img, "fuzz"), EvidencePath.ofFile("fuzz"), o);
            for (FileSystem fs : fss) {
                fs.info();
                walk(fs.root(), 0);
                if (fs instanceof ApfsVolume v) {
                    for (ApfsSnapshot s : v.snapshots()) {
                        walk(v.openSnapshot(s).root(), 0);
                    }
                }
            }
            ApfsContainer c = ApfsContainer.open(ByteSources.wrap(img, "fuzz"), EvidencePath.ofFile("fuzz"), o);
            for (int i = 0; i < c.volumeCount(); i++) {
                ApfsHistory.deletedAcrossHistory(c, i);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void walk(FileEntry e, int depth) throws IOException {
        if (depth > 64) {
            return;
        }
        e.times();
        e.attributes();
        e.linkTarget();
        long size = e.size();
        if (e.isFile()) {
            e.content().readAtMost(0, (int) Math.min(size, 1 << 20));
        }
        for (Xattr x : e.xattrs()) {
            x.content().readAtMost(0, (int) Math.min(x.size(), 1 << 20));
        }
        for (FileEntry c : e.children()) {
            walk(c, depth + 1);
        }
    }
}
