package io.vestige.cli;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.io.DamagedRange;
import io.vestige.io.Diagnostic;
import io.vestige.io.MediaHasher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vestige verify EVIDENCE}: hashes the media (MD5, SHA-1, SHA-256 in one pass, chunks decoded
 * in parallel) and compares with the hashes the container stores. Exit 0 when every stored hash
 * matches, 1 on a mismatch, 2 when the container stores none.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Hash the media of an evidence image (MD5, SHA-1, SHA-256) and compare with the stored hashes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stored hashes match", "1:a stored hash does not match", "2:no stored hash to compare",
            "65:malformed evidence", "66:evidence not found"})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EVIDENCE", description = "Image file (E01/Ex01 any segment, raw, split raw …).")
    Path evidence;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Decoding threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--zero-on-checksum-error",
            description = "Deliver zeros for stored chunks whose checksum fails (EnCase behaviour) instead of the stored bytes (libewf behaviour).")
    boolean zeroOnError;

    @Option(names = "--hash", split = ",", paramLabel = "ALG",
            description = "Digests to compute: md5, sha1, sha256 (default: all three).")
    List<String> algorithms = List.of("md5", "sha1", "sha256");

    @Option(names = "--progress", negatable = true, description = "Show progress on stderr (default: when it is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        OpenOptions opts = OpenOptions.defaults().withThreads(threads);
        if (zeroOnError) {
            opts = opts.with("ewf.zeroOnChecksumError", "true");
        }
        // containers that carry checksums of their own (UDIF CRC-32s) check all of them here
        opts = opts.with("udif.verify", "full");
        EvidenceOpener opener = new EvidenceOpener(ProbeRegistry.standard(), opts);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Container c = opener.openContainer(evidence)) {
            if (c.media() == null) {
                throw new IllegalArgumentException(evidence + " is a logical collection (" + c.info().format()
                        + "), not a media image: there is nothing to verify");
            }
            boolean show = progress != null ? progress : System.console() != null;
            long size = c.media().size();
            long start = System.nanoTime();
            long[] lastShown = {0};
            MediaHasher.Result r = MediaHasher.hash(c.media(), algorithms, threads, !show ? null : done -> {
                long now = System.nanoTime();
                if (now - lastShown[0] > 250_000_000L || done == size) {
                    lastShown[0] = now;
                    double secs = Math.max(1e-9, (now - start) / 1e9);
                    err.printf(Locale.ROOT, "\rverify: %5.1f%%  %8.1f MB/s", size == 0 ? 100.0 : 100.0 * done / size,
                            done / 1e6 / secs);
                    err.flush();
                }
            });
            if (show) {
                err.println();
            }
            Map<String, String> stored = c.info().storedHashes();
            Boolean match = null;
            // checksums the container keeps of its own data (UDIF master, data-fork and table CRC-32s)
            List<Map<String, Object>> containerChecksums = new ArrayList<>();
            if (c.info().details().get("checksums") instanceof List<?> cl) {
                for (Object x : cl) {
                    if (x instanceof Map<?, ?> cm) {
                        Map<String, Object> copy = new LinkedHashMap<>();
                        cm.forEach((k, v) -> copy.put(String.valueOf(k), v));
                        containerChecksums.add(copy);
                        if (Boolean.TRUE.equals(cm.get("ok"))) {
                            match = match == null ? Boolean.TRUE : match;
                        } else if (Boolean.FALSE.equals(cm.get("ok"))) {
                            match = false;
                        }
                    }
                }
            }
            List<String> mismatched = new ArrayList<>();
            for (Map.Entry<String, String> e : stored.entrySet()) {
                String mine = r.digests().get(e.getKey());
                if (mine == null) {
                    continue;
                }
                if (match == null) {
                    match = true;
                }
                if (!mine.equalsIgnoreCase(e.getValue())) {
                    match = false;
                    mismatched.add(e.getKey());
                }
            }
            List<Diagnostic> diags = c.diagnostics();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("evidence", evidence.getFileName().toString());
                o.put("format", c.info().format());
                o.put("mediaSize", size);
                o.put("segments", c.info().segments());
                o.put("computed", new TreeMap<>(r.digests()));
                o.put("stored", new TreeMap<>(stored));
                o.put("match", match);
                o.put("containerChecksums", containerChecksums);
                List<Map<String, Object>> dmg = new ArrayList<>();
                for (DamagedRange d : r.damaged()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("chunk", d.chunk());
                    m.put("offset", d.mediaOffset());
                    m.put("length", d.length());
                    m.put("reason", d.reason());
                    dmg.add(m);
                }
                o.put("damaged", dmg);
                o.put("diagnostics", diags.stream().map(Diagnostic::toString).toList());
                Cli.json().writerWithDefaultPrettyPrinter().writeValue(out, o);
                out.println();
            } else {
                out.printf("Evidence:  %s (%s, %d bytes, %d segment%s)%n", evidence.getFileName(), c.info().format(),
                        size, c.info().segments().size(), c.info().segments().size() == 1 ? "" : "s");
                for (String alg : List.of("md5", "sha1", "sha256")) {
                    String mine = r.digests().get(alg);
                    String theirs = stored.get(alg);
                    String label = switch (alg) {
                        case "md5" -> "MD5";
                        case "sha1" -> "SHA-1";
                        default -> "SHA-256";
                    };
                    if (mine == null) {
                        continue;
                    }
                    out.printf("%-8s computed %s%n", label, mine);
                    if (theirs != null) {
                        out.printf("%-8s stored   %s  %s%n", "", theirs, theirs.equalsIgnoreCase(mine) ? "match" : "MISMATCH");
                    }
                }
                for (DamagedRange d : r.damaged()) {
                    out.printf("Damaged:   chunk %d, media bytes [%d, %d): %s%n", d.chunk(), d.mediaOffset(),
                            d.mediaOffset() + d.length(), d.reason());
                }
                for (Map<String, Object> cm : containerChecksums) {
                    out.printf("Checksum:  %s %s stored %s computed %s  %s%n", cm.get("scope"), cm.get("type"), cm.get("stored"),
                            cm.get("computed"), Boolean.TRUE.equals(cm.get("ok")) ? "match" : Boolean.FALSE.equals(cm.get("ok"))
                                    ? "MISMATCH" : "not checked");
                    if (Boolean.FALSE.equals(cm.get("ok"))) {
                        mismatched.add(String.valueOf(cm.get("scope")));
                    }
                }
                out.println("Result:    " + (match == null ? "no stored hash to compare"
                        : match ? "stored hashes match" : "MISMATCH (" + String.join(", ", mismatched) + ")"));
            }
            out.flush();
            return match == null ? ExitCodes.NOT_DETERMINABLE : match ? ExitCodes.OK : ExitCodes.NEGATIVE;
        }
    }
}
