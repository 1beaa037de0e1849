package io.vestige.format.tar;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.OpenOptions;
import io.vestige.format.collection.CollectionFileSystem;
import io.vestige.io.ByteSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Child-JVM entry point for {@link TarMemoryTest}: indexes a tar, hashes every member in archive
 * order, then reads a few members backwards, and prints one summary line.
 */
public final class TarHashMain {
    private TarHashMain() {
    }

    public static void main(String[] args) throws Exception {
        Path f = Path.of(args[0]);
        try (EvidenceCandidate c = EvidenceCandidate.of(f);
             Container ct = new TarFormat().open(c, OpenOptions.defaults())) {
            CollectionFileSystem fs = (CollectionFileSystem) ct.logicalFileSystem();
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            int files = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            List<FileEntry> entries = fs.entriesInArchiveOrder();
            for (FileEntry e : entries) {
                if (!e.isFile()) {
                    continue;
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (ByteSource s = e.content()) {
                    long pos = 0;
                    while (pos < s.size()) {
                        buf.clear();
                        int n = s.read(pos, buf);
                        if (n <= 0) {
                            throw new IllegalStateException("short read in " + e.path());
                        }
                        md.update(buf.array(), 0, n);
                        pos += n;
                    }
                    bytes += pos;
                }
                all.update((e.path() + "\0" + HexFormat.of().formatHex(md.digest()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                files++;
            }
            // backwards: the last, the first and a middle member again (restarts or cache hits)
            int[] again = {entries.size() - 1, 0, entries.size() / 2};
            long backBytes = 0;
            for (int i : again) {
                try (ByteSource s = entries.get(i).content()) {
                    backBytes += s.readAtMost(Math.max(0, s.size() - 4096), 4096).length;
                }
            }
            System.out.println("files=" + files + " bytes=" + bytes + " digest=" + HexFormat.of().formatHex(all.digest())
                    + " back=" + backBytes + " diagnostics=" + ct.diagnostics().size()
                    + " maxHeapMiB=" + (Runtime.getRuntime().maxMemory() >> 20));
        }
    }
}
