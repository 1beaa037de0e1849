package io.vestige.cli;

import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that opens evidence. */
public final class OpenMixin {
    @Option(names = "--limit", paramLabel = "NAME=N", description = "Raise or lower a parsing bound, e.g. --limit maxTableEntries=100000000 (see docs).")
    Map<String, Long> limits = new java.util.LinkedHashMap<>();

    @Option(names = "--password-file", paramLabel = "FILE", description = "Password for encrypted containers (first line of FILE).")
    Path passwordFile;

    @Option(names = "--password", paramLabel = "PW", interactive = true, arity = "0..1",
            description = "Password for encrypted containers (asked for when given without a value).")
    char[] password;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads for decompression (default: number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--strict", description = "Treat recoverable damage as an error instead of a diagnostic.")
    boolean strict;

    @Option(names = "--set", paramLabel = "KEY=VALUE", hidden = true, description = "Format-specific settings.")
    Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--engine", paramLabel = "ENGINE", description = "File-system engine: native (default; The Sleuth Kit reads what no native reader does) or tsk (The Sleuth Kit first, also for APFS).")
    String engine = "native";

    @Option(names = "--tsk-lib", paramLabel = "PATH", description = "Path of libtsk (default: the system's libtsk.so.19 / libtsk.dylib).")
    String tskLib;

    @Option(names = "--snapshot", paramLabel = "NAME", description = "Read APFS volumes as of this snapshot.")
    String snapshot;

    @Option(names = "--xid", paramLabel = "N", description = "Read APFS volumes as of this older checkpoint (transaction id).")
    Long xid;


    public OpenOptions options() throws IOException {
        ParseLimits l = ParseLimits.defaults();
        for (Map.Entry<String, Long> e : limits.entrySet()) {
            l = l.with(e.getKey(), e.getValue());
        }
        OpenOptions o = OpenOptions.defaults().withLimits(l).withThreads(threads)
                .withDiagnostics(new Diagnostics(10_000, strict));
        char[] pw = password;
        if (pw == null && passwordFile != null) {
            List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
            pw = lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
        }
        if (pw != null) {
            o = o.withPassword(pw);
        }
        for (Map.Entry<String, String> e : new ArrayList<>(settings.entrySet())) {
            o = o.with(e.getKey(), e.getValue());
        }
        if (!engine.equals("native") && !engine.equals("tsk")) {
            throw new IllegalArgumentException("--engine takes native or tsk, not " + engine);
        }
        o = o.with("engine", engine);
        if (tskLib != null) {
            o = o.with("tsk.lib", tskLib);
        }
        if (snapshot != null) {
            o = o.with("snapshot", snapshot);
        }
        if (xid != null) {
            o = o.with("xid", Long.toString(xid));
        }
        return o;
    }

    public EvidenceOpener opener() throws IOException {
        OpenOptions o = options();
        return new EvidenceOpener(registry(o), o);
    }

    /** The probe registry for the chosen engine. */
    public static ProbeRegistry registry(OpenOptions o) {
        ProbeRegistry r = ProbeRegistry.standard();
        if (io.vestige.format.tsk.TskFormat.preferred(o)) {
            r = io.vestige.format.tsk.TskFormat.preferringTsk(r, o);
        }
        return r;
    }
}
