package io.vestige.bench;

import io.vestige.evidence.EvidencePath;
import io.vestige.fixtures.logs.ExportEvent;
import io.vestige.fixtures.logs.LogExportWriter;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.export.LogExportReader;
import io.vestige.format.unifiedlog.tracev3.UnifiedLogStore;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Unified-log throughput. {@code write STYLE N FILE}: writes a synthetic export of N events.
 * {@code count FILE}: streams an export and prints the event count (used by the bounded-memory
 * test). {@code export FILE...}: events per second for exports. {@code tracev3 REPEAT FILE...}: MB
 * per second for native decoding and, as the ceiling, for LZ4 decompression alone of the same files.
 */
public final class LogsBench {
    private LogsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LogsBench write json|ndjson|text N FILE | count FILE | export FILE... | tracev3 REPEAT FILE...");
            System.exit(64);
        }
        switch (args[0]) {
            case "write" -> write(LogExportWriter.Style.valueOf(args[1].toUpperCase(Locale.ROOT)), Long.parseLong(args[2]), Path.of(args[3]));
            case "count" -> {
                long[] n = new long[1];
                try (ByteSource src = ByteSources.open(Path.of(args[1]))) {
                    DecodeStats s = LogExportReader.read(src, EvidencePath.ofFile(args[1]), e -> n[0]++, new Diagnostics());
                    System.out.println(n[0] + " " + s.decodeErrors());
                }
            }
            case "export" -> {
                for (int i = 1; i < args.length; i++) {
                    export(Path.of(args[i]));
                }
            }
            case "tracev3" -> {
                int repeat = Integer.parseInt(args[1]);
                List<Path> files = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    files.add(Path.of(args[i]));
                }
                tracev3(repeat, files);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Writes {@code n} events; streaming, constant memory. */
    public static void write(LogExportWriter.Style style, long n, Path file) throws Exception {
        Instant t0 = Instant.parse("2024-01-02T03:04:05Z");
        String[] procs = {"/usr/libexec/syspolicyd", "/private/tmp/vpn.A1b2C3/vpndownloader.app/Contents/MacOS/vpndownloader",
            "/System/Library/CoreServices/launchservicesd", "/usr/sbin/mDNSResponder"};
        try (OutputStream os = Files.newOutputStream(file);
             LogExportWriter w = new LogExportWriter(os, style, ZoneOffset.ofHours(-8), "process != \"kernel\"")) {
            for (long i = 0; i < n; i++) {
                String p = procs[(int) (i % procs.length)];
                w.write(ExportEvent.log(t0.plusNanos(i * 1_000_123L), 100 + i % 97, p, "com.example.sub" + (i % 13), "cat",
                        i % 10 == 0 ? "Error" : "Default", "event number " + i + " with some text: path=/private/tmp/x" + i)
                        .withTraceID(0x8000000000000000L | i));
            }
        }
    }

    static void export(Path f) throws Exception {
        long size = Files.size(f);
        long best = Long.MAX_VALUE;
        long events = 0;
        for (int r = 0; r < 3; r++) {
            long[] n = new long[1];
            long t = System.nanoTime();
            try (ByteSource src = ByteSources.open(f)) {
                LogExportReader.read(src, EvidencePath.ofFile(f.toString()), e -> n[0]++, new Diagnostics());
            }
            best = Math.min(best, System.nanoTime() - t);
            events = n[0];
        }
        System.out.printf(Locale.ROOT, "export %-40s %10d events %8.1f MB  %8.3f s  %10.0f events/s  %7.1f MB/s%n",
                f.getFileName(), events, size / 1e6, best / 1e9, events / (best / 1e9), size / 1e6 / (best / 1e9));
    }

    static void tracev3(int repeat, List<Path> files) throws Exception {
        List<byte[]> data = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            data.add(b);
            bytes += b.length;
        }
        long events = 0;
        long raw = 0;
        long decode = Long.MAX_VALUE;
        long lz4 = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            long ev = 0;
            for (int r = 0; r < repeat; r++) {
                for (byte[] b : data) {
                    long[] n = new long[1];
                    UnifiedLogStore.readFile(ByteSources.wrap(b), EvidencePath.ofFile("bench"), null, e -> n[0]++, new Diagnostics());
                    ev += n[0];
                }
            }
            decode = Math.min(decode, System.nanoTime() - t);
            events = ev;
            t = System.nanoTime();
            long rw = 0;
            for (int r = 0; r < repeat; r++) {
                for (byte[] b : data) {
                    rw += UnifiedLogStore.decompressOnly(ByteSources.wrap(b), ParseLimits.defaults());
                }
            }
            lz4 = Math.min(lz4, System.nanoTime() - t);
            raw = rw;
        }
        double mb = bytes * (double) repeat / 1e6;
        System.out.printf(Locale.ROOT, "tracev3 decode   %8.1f MB in %7.3f s  %8.1f MB/s  %10.0f events/s (%d events)%n", mb,
                decode / 1e9, mb / (decode / 1e9), events / (decode / 1e9), events);
        System.out.printf(Locale.ROOT, "tracev3 lz4 only %8.1f MB in %7.3f s  %8.1f MB/s  (%.1f MB decompressed; ceiling)%n", mb,
                lz4 / 1e9, mb / (lz4 / 1e9), raw * 1.0 / 1e6);
        System.out.printf(Locale.ROOT, "ratio decode/lz4 = %.2f of the ceiling%n", (double) lz4 / decode);
    }
}
