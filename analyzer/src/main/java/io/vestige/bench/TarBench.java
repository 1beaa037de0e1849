package io.vestige.bench;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.OpenOptions;
import io.vestige.fixtures.collection.CollectionBuilder;
import io.vestige.fixtures.collection.SyntheticContent;
import io.vestige.format.collection.CollectionFileSystem;
import io.vestige.format.tar.TarFormat;
import io.vestige.io.ByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Tar collection benchmark ({@code bench/tar.sh}). {@code generate FILE MIB} writes a synthetic
 * tar.gz of about MIB mebibytes; {@code hash FILE} indexes it and SHA-256-hashes every member in
 * archive order, printing counts, time and heap figures.
 */
public final class TarBench {
    private TarBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("generate")) {
            SyntheticContent.collection(Long.parseLong(args[2]) << 20)
                    .writeTar(Path.of(args[1]), CollectionBuilder.Compression.GZIP);
            return;
        }
        if (args.length >= 2 && args[0].equals("hash")) {
            hash(Path.of(args[1]));
            return;
        }
        System.err.println("usage: TarBench generate FILE MIB | hash FILE");
        System.exit(2);
    }

    static void hash(Path f) throws Exception {
        long t0 = System.nanoTime();
        try (EvidenceCandidate c = EvidenceCandidate.of(f);
             Container ct = new TarFormat().open(c, OpenOptions.defaults())) {
            long t1 = System.nanoTime();
            CollectionFileSystem fs = (CollectionFileSystem) ct.logicalFileSystem();
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long bytes = 0;
            int files = 0;
            for (FileEntry e : fs.entriesInArchiveOrder()) {
                if (!e.isFile()) {
                    continue;
                }
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
                all.update(md.digest());
                files++;
            }
            long t2 = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("vestige: files=%d bytes=%d index=%.2fs hash=%.2fs total=%.2fs maxHeap=%dMiB digest=%s diagnostics=%d%n",
                    files, bytes, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, rt.maxMemory() >> 20,
                    HexFormat.of().formatHex(all.digest()).substring(0, 16), ct.diagnostics().size());
        }
    }
}
