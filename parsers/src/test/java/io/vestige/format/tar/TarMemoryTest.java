package io.vestige.format.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Paths;
import io.vestige.fixtures.collection.CollectionBuilder.Compression;
import io.vestige.fixtures.collection.SyntheticContent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ~300 MiB tar.gz is indexed and every member hashed by a child JVM limited to 256 MiB of heap:
 * nothing may hold the archive or a large member in memory.
 */
@Tag("slow")
class TarMemoryTest {
    static final long TOTAL = 300L << 20;

    @TempDir
    Path tmp;

    @Test
    void threeHundredMebibyteTarGzInA256MebibyteHeap() throws Exception {
        Path f = tmp.resolve("big.tar.gz");
        SyntheticContent.collection(TOTAL).writeTar(f, Compression.GZIP);
        assertTrue(Files.size(f) > 50L << 20, "archive of " + Files.size(f) + " bytes is too compressible to test");

        MessageDigest all = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        List<SyntheticContent.Planned> plan = SyntheticContent.plan(TOTAL);
        for (SyntheticContent.Planned p : plan) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = SyntheticContent.stream(p.seed(), p.size())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    bytes += n;
                }
            }
            all.update((Paths.normalize(p.name()) + "\0" + HexFormat.of().formatHex(md.digest()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String expected = "files=" + plan.size() + " bytes=" + bytes + " digest=" + HexFormat.of().formatHex(all.digest());

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TarHashMain.class.getName());
        cmd.add(f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith(expected + " back="), "expected " + expected + "\nfound    " + out);
        assertTrue(out.contains(" diagnostics=0 "), out);
    }
}
