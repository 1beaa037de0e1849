package io.vestige.bench;

import io.vestige.codesign.CodeSignResult;
import io.vestige.codesign.CodeSignatureVerifier;
import io.vestige.codesign.Verdict;
import io.vestige.codesign.VerifyOptions;
import io.vestige.fixtures.macho.CodeSigner;
import io.vestige.fixtures.macho.MachOBuilder;
import io.vestige.fixtures.macho.TestPki;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Code-signature verification throughput against plain SHA-256 over the same bytes, in the same
 * run. Builds a signed Mach-O of {@code --size} MiB (a large {@code __text}) with the fixtures
 * signer, then times {@link CodeSignatureVerifier#verifyFile} (every 4 KiB page hashed, CMS and
 * chain checked) and a single-threaded SHA-256 of the file. Usage:
 * {@code CodesignBench [--size MiB] [--runs N] [--out FILE]}.
 */
public final class CodesignBench {
    private CodesignBench() {
    }

    public static void main(String[] args) throws Exception {
        int sizeMiB = 128;
        int runs = 5;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> sizeMiB = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path file = out != null ? out : Files.createTempFile("codesign-bench", ".macho");
        byte[] text = new byte[sizeMiB << 20];
        new Random(1).nextBytes(text);
        TestPki pki = TestPki.create("bench");
        byte[] img = MachOBuilder.arm64().text(text).signatureSpace((sizeMiB << 20) / 4096 * 32 + (64 << 10)).build();
        text = null;
        byte[] signed = CodeSigner.sign(img, CodeSigner.Options.developerId("com.example.bench", "BENCH12345",
                pki.developerId("Bench", "BENCH12345"))).bytes();
        img = null;
        Files.write(file, signed);
        long size = signed.length;
        signed = null;
        VerifyOptions opts = VerifyOptions.defaults().withTrustAnchors(List.of(pki.root().certificate()));
        List<Double> verify = new ArrayList<>();
        List<Double> sha = new ArrayList<>();
        for (int r = 0; r <= runs; r++) {
            long t0 = System.nanoTime();
            CodeSignResult res;
            try (ByteSource src = ByteSources.open(file)) {
                res = CodeSignatureVerifier.verifyFile(src, opts);
            }
            long t1 = System.nanoTime();
            if (res.verdict() != Verdict.VALID) {
                throw new IllegalStateException("benchmark input did not verify: " + res.problems());
            }
            byte[] d = sha256(file);
            long t2 = System.nanoTime();
            if (d.length != 32) {
                throw new IllegalStateException();
            }
            if (r > 0) { // run 0 warms up the JIT and the page cache
                verify.add((t1 - t0) / 1e9);
                sha.add((t2 - t1) / 1e9);
            }
        }
        double mib = size / (double) (1 << 20);
        double v = median(verify);
        double s = median(sha);
        System.out.printf("input: %s (%.1f MiB signed Mach-O, %d code pages)%n", file, mib, (size + 4095) / 4096);
        System.out.printf("vestige codesign verify : median %.3f s  %8.1f MiB/s%n", v, mib / v);
        System.out.printf("plain SHA-256 (1 thread): median %.3f s  %8.1f MiB/s%n", s, mib / s);
        System.out.printf("ratio verify/sha256 throughput: %.2f (cores: %d)%n", s / v, Runtime.getRuntime().availableProcessors());
        if (out == null) {
            Files.deleteIfExists(file);
        }
    }

    static byte[] sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return md.digest();
    }

    static double median(List<Double> l) {
        List<Double> c = new ArrayList<>(l);
        Collections.sort(c);
        return c.get(c.size() / 2);
    }
}
