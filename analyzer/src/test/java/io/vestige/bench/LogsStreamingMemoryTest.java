package io.vestige.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.logs.LogExportWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1,000,000-event NDJSON export (and a JSON array of the same size) streams in a child JVM limited
 * to 256 MiB of heap: the readers never hold the events.
 */
@Tag("slow")
class LogsStreamingMemoryTest {
    static final long N = 1_000_000;

    @Test
    void millionEventsIn256MiB(@TempDir Path tmp) throws Exception {
        for (LogExportWriter.Style style : List.of(LogExportWriter.Style.NDJSON, LogExportWriter.Style.JSON)) {
            Path f = tmp.resolve("big." + style.name().toLowerCase());
            LogsBench.write(style, N, f);
            assertTrue(Files.size(f) > 256L << 20, "export smaller than the heap limit: " + Files.size(f));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "io.vestige.bench.LogsBench", "count", f.toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(600, TimeUnit.SECONDS));
            String s = new String(out, StandardCharsets.UTF_8).trim();
            assertEquals(0, p.exitValue(), s);
            assertEquals(N + " 0", s.lines().reduce((a, b) -> b).orElse(""), s);
            Files.delete(f);
        }
    }
}
