package io.vestige.format.collection;

import static org.junit.jupiter.api.Assertions.fail;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.OpenOptions;
import io.vestige.fixtures.collection.CollectionBuilder;
import io.vestige.fixtures.collection.CollectionBuilder.Compression;
import io.vestige.fixtures.collection.CollectionBuilder.Times;
import io.vestige.fixtures.plist.BinaryPlistWriter;
import io.vestige.format.plist.PropertyList;
import io.vestige.format.tar.TarFormat;
import io.vestige.format.zip.ZipFormat;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte mutations of valid archives and plists: opening and reading them may fail with an
 * {@link IOException} (a {@code ParseException} for malformed input), never with a RuntimeException,
 * and never hang.
 */
class MutationTest {
    @TempDir
    Path tmp;

    static CollectionBuilder sample() {
        return new CollectionBuilder()
                .dir("private/tmp", Times.at(Instant.parse("2024-01-01T00:00:00.5Z")))
                .file("private/tmp/a", "hello world".getBytes(StandardCharsets.US_ASCII), 0644, 501, 20,
                        new Times(Instant.parse("2024-01-01T00:00:00.25Z"), null, null),
                        Map.of("com.apple.quarantine", "0081;1;x;".getBytes(StandardCharsets.US_ASCII)))
                .file("private/tmp/" + "n".repeat(150), new byte[700])
                .symlink("private/tmp/l", "a", Times.EPOCH)
                .hardlink("private/tmp/h", "private/tmp/a", Times.EPOCH);
    }

    static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(b.length);
            b[at] = switch (r.nextInt(4)) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) 0xff;
                case 2 -> (byte) '7';
                default -> 0;
            };
        }
        if (r.nextInt(10) == 0) {
            b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
        }
        return b;
    }

    interface Opener {
        Container open(ByteSource src) throws IOException;
    }

    void exercise(byte[] good, Opener opener, int rounds, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = mutate(good, r);
            try (Container ct = opener.open(ByteSources.wrap(b, "mutant"))) {
                Deque<FileEntry> todo = new ArrayDeque<>();
                todo.push(ct.logicalFileSystem().root());
                int seen = 0;
                while (!todo.isEmpty() && seen++ < 1000) {
                    FileEntry e = todo.pop();
                    e.times();
                    e.xattrs();
                    e.attributes();
                    e.evidencePath();
                    try (ByteSource s = e.content()) {
                        s.readAtMost(0, 1 << 16);
                    } catch (IOException expected) {
                        // damaged member: a clean error is what we want
                    }
                    e.children().forEach(todo::push);
                }
            } catch (IOException expected) {
                // a clean error
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("round " + i + ": " + e, e);
            }
        }
    }

    @Test
    void mutatedTars() throws Exception {
        for (Compression c : List.of(Compression.NONE, Compression.GZIP)) {
            byte[] good = sample().blockingFactor(1).tarBytes(c);
            exercise(good, src -> TarFormat.open(src, false, EvidencePath.ofFile("m"), "m", OpenOptions.defaults()),
                    c == Compression.NONE ? 1500 : 300, 42 + c.ordinal());
        }
    }

    @Test
    void mutatedZips() throws Exception {
        Path f = tmp.resolve("m.zip");
        sample().writeZip(f);
        byte[] good = Files.readAllBytes(f);
        exercise(good, src -> ZipFormat.open(src, false, EvidencePath.ofFile("m"), "m", OpenOptions.defaults()), 1500, 7);
    }

    @Test
    void mutatedPlists() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CFBundleIdentifier", "com.example.app");
        m.put("n", 123456789L);
        m.put("list", List.of("a", 1L, 2.5, true, new byte[]{1, 2}, Instant.parse("2020-01-01T00:00:00Z")));
        m.put("nested", Map.of("k", List.of(Map.of("x", "y"))));
        byte[] bin = BinaryPlistWriter.write(m);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict><key>a</key>"
                + "<array><integer>12</integer><real>1.5</real><date>2020-01-01T00:00:00Z</date><data>AAEC</data>"
                + "<true/><string>x &amp; y</string></array></dict></plist>\n";
        Random r = new Random(5);
        for (byte[] good : List.of(bin, xml.getBytes(StandardCharsets.UTF_8))) {
            for (int i = 0; i < 3000; i++) {
                byte[] b = mutate(good, r);
                try {
                    PropertyList.parse(b);
                } catch (IOException expected) {
                    // clean
                } catch (RuntimeException | StackOverflowError e) {
                    fail("round " + i + ": " + e, e);
                }
            }
        }
    }

    @Test
    void mutatedGnuSparseTars() throws Exception {
        io.vestige.testing.Tools.assume("tar", "tar");
        Path dir = Files.createDirectories(tmp.resolve("sp"));
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("s"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (int i = 0; i < 7; i++) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3, (byte) i}), i * 20_000L);
            }
        }
        for (String format : List.of("gnu", "pax")) {
            Path out = tmp.resolve(format + ".tar");
            var r = io.vestige.testing.Tools.run(List.of("tar", "-C", dir.toString(), "-S", "--format=" + format,
                    "-b", "1", "-cf", out.toString(), "s"));
            if (r.exitCode() != 0) {
                fail(r.stderr());
            }
            exercise(Files.readAllBytes(out),
                    src -> TarFormat.open(src, false, EvidencePath.ofFile("m"), "m", OpenOptions.defaults()), 1500, 99);
        }
    }
}
