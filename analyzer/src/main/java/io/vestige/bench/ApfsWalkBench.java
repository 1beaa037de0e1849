package io.vestige.bench;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.format.apfs.ApfsContainer;
import io.vestige.format.apfs.ApfsFormat;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;

/**
 * APFS metadata-walk benchmark driver for {@code bench/apfs-walk.sh}.
 * <ul>
 * <li>{@code make N OUT} builds a container with N files in folders of 1,000 through the fixtures
 * APFS writer (looked up reflectively so this class does not pin the writer's API at compile time);</li>
 * <li>{@code apsb IMG} prints the first volume's superblock block (for {@code fls -B});</li>
 * <li>{@code walk IMG} lists every entry (path, inode, kind, size, mode, owner, times) and prints the count.</li>
 * </ul>
 */
public final class ApfsWalkBench {
    private ApfsWalkBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("make")) {
            make(Integer.parseInt(args[1]), Path.of(args[2]));
        } else if (args.length >= 2 && args[0].equals("apsb")) {
            try (ByteSource src = ByteSources.open(Path.of(args[1]))) {
                System.out.println(ApfsContainer.open(src).openVolume(0).superblock().paddr());
            }
        } else if (args.length >= 2 && args[0].equals("walk")) {
            long t0 = System.nanoTime();
            long n = 0;
            try (ByteSource src = ByteSources.open(Path.of(args[1]))) {
                for (FileSystem fs : new ApfsFormat().open(src, EvidencePath.ofFile(args[1]), OpenOptions.defaults())) {
                    n += walk(fs.root(), 0);
                }
            }
            System.out.println(n + " entries " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } else {
            System.err.println("usage: ApfsWalkBench make N OUT | apsb IMG | walk IMG");
            System.exit(2);
        }
    }

    private static long sink;

    private static long walk(FileEntry e, int depth) throws Exception {
        long n = 1;
        // touch what a listing prints
        sink += e.inode() + e.size() + e.mode() + e.uid() + e.gid() + e.path().length()
                + e.times().modified().getNano();
        if (depth < 256) {
            for (FileEntry c : e.children()) {
                n += walk(c, depth + 1);
            }
        }
        return n;
    }

    private static void make(int files, Path out) throws Exception {
        Class<?> writer = Class.forName("io.vestige.fixtures.apfs.ApfsImageWriter");
        Class<?> role = Class.forName("io.vestige.fixtures.apfs.ApfsImageWriter$Role");
        Class<?> times = Class.forName("io.vestige.fixtures.apfs.ApfsImageWriter$Times");
        Object w = writer.getConstructor(long.class).newInstance(42L);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object data = Enum.valueOf((Class) role, "DATA");
        Object vol = writer.getMethod("volume", String.class, role).invoke(w, "Data", data);
        Object t = times.getMethod("all", Instant.class).invoke(null, Instant.parse("2026-01-01T00:00:00Z"));
        Method file = vol.getClass().getMethod("file", String.class, byte[].class, times);
        byte[] one = {'x'};
        for (int i = 0; i < files; i++) {
            file.invoke(vol, "/d" + (i / 1000) + "/f" + i, i % 10 == 0 ? one : new byte[0], t);
        }
        vol.getClass().getMethod("commit").invoke(vol);
        writer.getMethod("writeTo", Path.class).invoke(w, out);
    }
}
