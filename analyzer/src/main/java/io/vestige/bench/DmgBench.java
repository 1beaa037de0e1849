package io.vestige.bench;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.udif.UdifWriter;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.SequentialReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * DMG benchmark helper for {@code bench/dmg.sh}.
 * {@code make OUT.dmg MiB} writes a zlib (UDZO-like, level 1) image of synthetic media with the
 * fixtures writer; {@code hash IMAGE [threads]} opens it as evidence, reads the whole media through
 * {@link SequentialReader} (parallel chunk decoding) and prints its SHA-256 and the elapsed time;
 * {@code read} does the same without hashing (to compare decoding alone with dmg2img's conversion).
 */
public final class DmgBench {
    private DmgBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("make")) {
            long size = Long.parseLong(args[2]) << 20;
            long t0 = System.nanoTime();
            new UdifWriter().codec(UdifWriter.Codec.ZLIB).zlibLevel(1).write(new Synthetic(size), size, Path.of(args[1]));
            System.out.printf("made %s (%d MiB media) in %.2f s%n", args[1], size >> 20, (System.nanoTime() - t0) / 1e9);
        } else if (args.length >= 2 && (args[0].equals("hash") || args[0].equals("read"))) {
            boolean hash = args[0].equals("hash");
            int threads = args.length >= 3 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
            long t0 = System.nanoTime();
            OpenOptions o = OpenOptions.defaults().withThreads(threads).with("udif.verify", "none");
            try (Container c = new EvidenceOpener(ProbeRegistry.standard(), o).openContainer(Path.of(args[1]))) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 20];
                long total = 0;
                InputStream in = c.media() instanceof ChunkedByteSource cs
                        ? new SequentialReader(cs, threads, null) : c.media().openStream();
                try (in) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (hash) {
                            md.update(buf, 0, n);
                        }
                        total += n;
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s  %s%n", HexFormat.of().formatHex(md.digest()), args[1]);
                System.err.printf("vestige: %d bytes in %.3f s (%.0f MiB/s, %d threads)%n", total, s, total / s / (1 << 20), threads);
            }
        } else {
            System.err.println("usage: DmgBench make OUT.dmg MiB | hash IMAGE [threads] | read IMAGE [threads]");
            System.exit(2);
        }
    }

    /** Deterministic media: mostly text-like (compresses ~3-4x), some random and some zero megabytes. */
    static final class Synthetic extends InputStream {
        private static final String[] WORDS = ("the quick brown fox jumps over lazy dog vestige evidence apfs volume "
                + "snapshot inode extent checkpoint superblock unified log tracev3 firehose signpost codesign "
                + "team identifier bundle contents macos private tmp vpndownloader cisco anyconnect 0123456789").split(" ");
        private final long size;
        private long pos;
        private final Random r = new Random(1234);
        private final byte[] mb = new byte[1 << 20];
        private int mbPos = mb.length;

        Synthetic(long size) {
            this.size = size;
        }

        private void refill() {
            long index = pos >> 20;
            int kind = (int) (index % 20);
            if (kind == 7) {
                java.util.Arrays.fill(mb, (byte) 0);
            } else if (kind == 13) {
                r.nextBytes(mb);
            } else {
                int i = 0;
                while (i < mb.length) {
                    byte[] w = WORDS[r.nextInt(WORDS.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    for (int k = 0; k < w.length && i < mb.length; k++) {
                        mb[i++] = w[k];
                    }
                    if (i < mb.length) {
                        mb[i++] = (byte) (r.nextInt(10) == 0 ? '\n' : ' ');
                    }
                }
            }
            mbPos = 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            if (mbPos == mb.length) {
                refill();
            }
            int n = (int) Math.min(Math.min(len, mb.length - mbPos), size - pos);
            System.arraycopy(mb, mbPos, b, off, n);
            mbPos += n;
            pos += n;
            return n;
        }
    }
}
