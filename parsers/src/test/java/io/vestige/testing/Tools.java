package io.vestige.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent reference tools (The Sleuth Kit, libewf, libfsapfs, dmg2img, openssl …)
 * that tests compare against. A test that needs an absent tool is skipped with a message naming
 * the Debian package; CI installs them all.
 */
public final class Tools {
    private Tools() {
    }

    /** Result of one tool run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Skips the calling test unless {@code tool} is on the PATH. */
    public static void assume(String tool, String debianPackage) {
        Assumptions.assumeTrue(which(tool) != null,
                tool + " not found; install Debian package '" + debianPackage + "' to run this test");
    }

    public static Path which(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs a command with a timeout (default 300 s), capturing stdout and stderr. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, 300);
    }

    public static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t1 = pump(p.getInputStream(), out);
        Thread t2 = pump(p.getErrorStream(), err);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
        }
        t1.join();
        t2.join();
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
