package io.vestige.bench;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Helpers for {@code bench/ewf.sh}: {@code gen OUT MIB} writes deterministic mixed media (random,
 * zero and repetitive text runs), {@code read IMAGE [OUT]} streams the decoded media to OUT (default:
 * discard) and prints bytes and seconds.
 */
public final class EwfBench {
    private EwfBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("gen")) {
            gen(Path.of(args[1]), Long.parseLong(args[2]));
        } else if (args.length >= 2 && args[0].equals("verify")) {
            // the same command as 'vestige verify', for builds where Main does not list it yet
            System.exit(new picocli.CommandLine(new io.vestige.cli.VerifyCommand())
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        } else if (args.length >= 2 && args[0].equals("hash")) {
            // in-process timing of MediaHasher (no JVM start-up): hash IMAGE [alg,alg] [threads] [repeat]
            List<String> algs = args.length > 2 && !args[2].isEmpty() ? List.of(args[2].split(",")) : List.of();
            int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
            int repeat = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            for (int i = 0; i < repeat; i++) {
                try (Container c = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults())
                        .openContainer(Path.of(args[1]))) {
                    long t0 = System.nanoTime();
                    io.vestige.io.MediaHasher.Result r = io.vestige.io.MediaHasher.hash(c.media(), algs, threads, null);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(java.util.Locale.ROOT, "hash %s %.3f s %.1f MB/s %s%n", algs, s,
                            r.bytes() / 1e6 / s, r.digests());
                }
            }
        } else if (args.length >= 2 && args[0].equals("read")) {
            read(Path.of(args[1]), args.length > 2 ? args[2] : null);
        } else {
            System.err.println("usage: EwfBench gen OUT MIB | read IMAGE [OUT] | verify ARGS…");
            System.exit(64);
        }
    }

    static void gen(Path out, long mib) throws IOException {
        byte[] block = new byte[1 << 20];
        long x = 0x9E3779B97F4A7C15L;
        byte[] text = "Mar  3 10:15:02 host kernel: usb 1-1: new high-speed USB device number 4 using xhci_hcd\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (OutputStream o = new BufferedOutputStream(new FileOutputStream(out.toFile()), 1 << 20)) {
            for (long m = 0; m < mib; m++) {
                // per MiB: 40% incompressible, 30% zeros, 30% low-entropy text
                int rnd = 400 * 1024;
                int zeros = 300 * 1024;
                for (int i = 0; i < rnd; i += 8) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (x >>> (8 * k));
                    }
                }
                java.util.Arrays.fill(block, rnd, rnd + zeros, (byte) 0);
                for (int i = rnd + zeros; i < block.length; i++) {
                    block[i] = text[(int) ((i + m * 7) % text.length)];
                }
                o.write(block);
            }
        }
    }

    static void read(Path image, String outPath) throws IOException {
        OpenOptions opts = OpenOptions.defaults();
        EvidenceOpener op = new EvidenceOpener(ProbeRegistry.standard(), opts);
        long t0 = System.nanoTime();
        long total;
        try (Container c = op.openContainer(image);
             OutputStream out = outPath == null ? OutputStream.nullOutputStream()
                     : new FileOutputStream(outPath)) {
            total = io.vestige.io.MediaHasher.copy(c.media(), out, List.of(), opts.threads(), null).bytes();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "read %d bytes in %.3f s (%.1f MB/s)%n", total, s, total / 1e6 / s);
    }
}
