package io.vestige.cli;

import io.vestige.analysis.Progress;
import io.vestige.batch.BatchItem;
import io.vestige.batch.BatchRunner;
import io.vestige.batch.ItemDetector;
import io.vestige.batch.ItemResult;
import io.vestige.batch.Shard;
import io.vestige.batch.SummaryWriter;
import io.vestige.reports.BatchSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vestige batch}: the hunt over many evidence items, resumable, isolated and shardable. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Analyze many evidence items: every item of a folder (E01 sets, DMG + parts, tar, zip, folders …)"
                + " or of a manifest (CSV/TSV with columns id, evidence, case, examiner, notes, password_file).",
            "Each item runs in its own process with its own folder OUT/items/ID (report, log, item.json); a failure or"
                + " timeout is recorded and the batch goes on. A re-run skips items already complete and unchanged.",
            "Writes OUT/summary.json, OUT/index.html and a combined OUT/timeline.jsonl.",
            "Scale-out: --shard I/N (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with"
                + " --shard-count N) runs a disjoint, stable part; then 'vestige batch --merge OUT' builds the summary."})
public final class BatchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT", description = "Folder of evidence, or a manifest .csv/.tsv.")
    Path input;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Batch output folder.")
    Path out;

    @Option(names = "--merge", paramLabel = "DIR", description = "Only build the summary of DIR from all shards' item records.")
    Path merge;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Items analyzed at once (default ${DEFAULT-VALUE}).")
    int jobs = 1;

    @Option(names = "--item-timeout", paramLabel = "DURATION", description = "Stop an item after this long, e.g. 30m, 2h, 90s.")
    String itemTimeout;

    @Option(names = "--item-memory", paramLabel = "SIZE", description = "Java heap per item, e.g. 2g (default ${DEFAULT-VALUE}).")
    String itemMemory = "2g";

    @Option(names = "--force", description = "Redo items even when they are already complete.")
    boolean force;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (0-based).")
    String shard;

    @Option(names = "--shard-count", paramLabel = "N", description = "Shard count for Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX).")
    Integer shardCount;

    @Option(names = "--progress-lines", description = "Machine-readable progress lines on stderr (for schedulers).")
    boolean progressLines;

    @Option(names = "--reproducible", description = "Pass --reproducible to each item and fix the summary's time.")
    boolean reproducible;

    @Option(names = "--known-good", paramLabel = "FILE", description = "Passed to each item's analyze: known-good hash list.")
    List<Path> knownGood = new ArrayList<>();

    @Option(names = "--known-bad", paramLabel = "FILE", description = "Passed to each item's analyze: known-bad hash list.")
    List<Path> knownBad = new ArrayList<>();

    @Option(names = "--nsrl", paramLabel = "FILE", description = "Passed to each item's analyze: NSRL RDSv3 database.")
    List<Path> nsrl = new ArrayList<>();

    @Option(names = "--trust-anchor", paramLabel = "CERT", description = "Passed to each item's analyze: extra trust anchor.")
    List<Path> trustAnchors = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "FILE", description = "Passed to each item's analyze: expected-identity profiles.")
    List<Path> profiles = new ArrayList<>();

    @Option(names = "--timezone", paramLabel = "ZONE", description = "Passed to each item's analyze: display time zone of the HTML reports.")
    String timezone;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (merge != null) {
            BatchSummary s = SummaryWriter.write(merge, reproducible);
            print(o, s, merge);
            return ExitCodes.OK;
        }
        if (input == null || out == null) {
            throw new IllegalArgumentException("batch needs INPUT and --out DIR (or --merge DIR)");
        }
        if (!Files.exists(input)) {
            throw new java.nio.file.NoSuchFileException(input.toString());
        }
        Shard sh = shard != null ? Shard.parse(shard) : Shard.fromEnvironment(System.getenv(), shardCount);
        if (sh == null) {
            sh = Shard.ALL;
        }
        List<BatchItem> items = ItemDetector.detect(input);
        Progress progress = progressLines ? new Progress(System.err, true) : Progress.terminal();
        List<String> extra = new ArrayList<>();
        for (Path p : knownGood) {
            extra.addAll(List.of("--known-good", p.toAbsolutePath().toString()));
        }
        for (Path p : knownBad) {
            extra.addAll(List.of("--known-bad", p.toAbsolutePath().toString()));
        }
        for (Path p : nsrl) {
            extra.addAll(List.of("--nsrl", p.toAbsolutePath().toString()));
        }
        for (Path p : trustAnchors) {
            extra.addAll(List.of("--trust-anchor", p.toAbsolutePath().toString()));
        }
        for (Path p : profiles) {
            extra.addAll(List.of("--profile", p.toAbsolutePath().toString()));
        }
        if (timezone != null) {
            extra.addAll(List.of("--timezone", timezone));
        }
        BatchRunner runner = new BatchRunner(new BatchRunner.Settings(out, jobs, parseDuration(itemTimeout), force, sh,
                itemMemory, reproducible, extra), progress);
        List<ItemResult> results = runner.run(items);
        if (sh.count() == 1) {
            BatchSummary s = SummaryWriter.write(out, reproducible);
            print(o, s, out);
        } else {
            o.println("Shard " + sh + ": " + results.size() + " item(s) done; run 'vestige batch --merge " + out
                    + "' after all shards finish.");
        }
        o.flush();
        return ExitCodes.OK;
    }

    static void print(PrintWriter o, BatchSummary s, Path dir) {
        for (BatchSummary.Row r : s.items()) {
            o.println(String.format("  %-40s %-15s %3d finding(s)%s", r.id(), r.status(), r.findings(),
                    r.reason() == null ? "" : "  " + r.reason()));
        }
        o.println("Summary: " + dir.resolve("index.html") + " (" + s.items().size() + " items)");
    }

    static Duration parseDuration(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        if (t.endsWith("h")) {
            return Duration.ofHours(n);
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(n);
        }
        return Duration.ofSeconds(n);
    }
}
