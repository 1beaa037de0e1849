package io.vestige.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vestige.analysis.Progress;
import io.vestige.analysis.ReportOutput;
import io.vestige.reports.JsonReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs {@code analyze} over batch items, each in its own JVM process with its own output folder,
 * log and exit status, so that one bad or hostile image (a crash, an out-of-memory, a hang past
 * {@code itemTimeout}) cannot sink the batch. Each item's output is built in a hidden partial folder
 * and renamed into place when complete; a re-run skips items whose inputs and outputs are unchanged.
 */
public final class BatchRunner {
    /** Batch settings. */
    public record Settings(Path out, int jobs, Duration itemTimeout, boolean force, Shard shard, String itemMemory,
                           boolean reproducible, List<String> extraArgs) {
        public Settings {
            extraArgs = List.copyOf(extraArgs);
        }
    }

    static final ObjectMapper JSON = JsonReportWriter.mapper();
    static final List<String> OUTPUTS = List.of("report.json", "report.html", "timeline.jsonl", "timeline.csv");

    private final Settings settings;
    private final Progress progress;

    public BatchRunner(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the items this shard owns; returns their results (skipped ones included, as recorded). */
    public List<ItemResult> run(List<BatchItem> all) throws IOException, InterruptedException {
        Path itemsDir = settings.out().resolve("items");
        Files.createDirectories(itemsDir);
        cleanPartials(itemsDir, settings.shard());
        List<BatchItem> mine = all.stream().filter(i -> settings.shard().owns(i.id())).toList();
        List<ItemResult> results = new ArrayList<>();
        List<BatchItem> todo = new ArrayList<>();
        for (BatchItem item : mine) {
            ItemResult prev = settings.force() ? null : reusable(itemsDir.resolve(item.id()), item);
            if (prev != null) {
                results.add(prev);
            } else {
                todo.add(item);
            }
        }
        progress.status("batch: " + mine.size() + " item(s) in shard " + settings.shard() + ", " + (mine.size() - todo.size())
                + " already complete", true);
        AtomicInteger done = new AtomicInteger(mine.size() - todo.size());
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.jobs()));
        try {
            List<Future<ItemResult>> futures = new ArrayList<>();
            for (BatchItem item : todo) {
                futures.add(pool.submit(() -> {
                    progress.status("[" + done.get() + "/" + mine.size() + "] running " + item.id(), true);
                    ItemResult r = runOne(item, itemsDir);
                    int d = done.incrementAndGet();
                    double mins = (System.nanoTime() - started) / 6e10;
                    progress.status(String.format("[%d/%d] %s: %s (%.1f items/min)", d, mine.size(), item.id(), r.status(),
                            mins > 0 ? (d - (mine.size() - todo.size())) / mins : 0.0), true);
                    return r;
                }));
            }
            for (Future<ItemResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("batch worker failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            progress.done();
        }
        results.sort(Comparator.comparing(ItemResult::id));
        return results;
    }

    /**
     * Removes hidden partial folders left by an interrupted run, only those of items this shard owns:
     * other shards may be writing theirs into the same folder at this moment.
     */
    static void cleanPartials(Path itemsDir, Shard shard) throws IOException {
        try (Stream<Path> s = Files.list(itemsDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".partial") && shard.owns(n.substring(1, n.length() - ".partial".length()))) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /** The recorded result if it is complete and still matches its inputs and outputs; else null. */
    static ItemResult reusable(Path dir, BatchItem item) {
        Path rec = dir.resolve("item.json");
        if (!Files.isRegularFile(rec)) {
            return null;
        }
        try {
            ItemResult r = JSON.readValue(rec.toFile(), ItemResult.class);
            if (!"ok".equals(r.status()) && !"no-file-system".equals(r.status())) {
                return null; // failures and timeouts are tried again
            }
            // compare as text: JSON trees distinguish int from long nodes
            if (!JSON.writeValueAsString(r.inputs()).equals(JSON.writeValueAsString(fingerprints(item)))) {
                return null;
            }
            for (Map.Entry<String, String> o : r.outputs().entrySet()) {
                Path f = dir.resolve(o.getKey());
                if (!Files.isRegularFile(f) || !sha256(f).equals(o.getValue())) {
                    return null;
                }
            }
            return r;
        } catch (IOException e) {
            return null;
        }
    }

    static List<Map<String, Object>> fingerprints(BatchItem item) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path f : item.files()) {
            Map<String, Object> m = new TreeMap<>();
            m.put("path", f.toAbsolutePath().normalize().toString());
            if (Files.isRegularFile(f)) {
                m.put("size", Files.size(f));
                m.put("modified", Files.getLastModifiedTime(f).toMillis());
            } else {
                m.put("size", -1L);
                m.put("modified", Files.exists(f) ? Files.getLastModifiedTime(f).toMillis() : -1L);
            }
            out.add(m);
        }
        return out;
    }

    static String sha256(Path f) throws IOException {
        return io.vestige.analysis.Manifest.sha256(f);
    }

    private ItemResult runOne(BatchItem item, Path itemsDir) throws IOException, InterruptedException {
        Path partial = itemsDir.resolve("." + item.id() + ".partial");
        deleteTree(partial);
        Files.createDirectories(partial);
        Path log = partial.resolve("analyze.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (settings.itemMemory() != null) {
            cmd.add("-Xmx" + settings.itemMemory());
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.vestige.cli.Main");
        cmd.add("analyze");
        for (Path e : item.evidence()) {
            cmd.add(e.toAbsolutePath().toString());
        }
        cmd.add("--out");
        cmd.add(partial.toString());
        if (item.caseNumber() != null) {
            cmd.addAll(List.of("--case", item.caseNumber()));
        }
        if (item.examiner() != null) {
            cmd.addAll(List.of("--examiner", item.examiner()));
        }
        if (item.notes() != null) {
            cmd.addAll(List.of("--notes", item.notes()));
        }
        if (item.passwordFile() != null) {
            cmd.addAll(List.of("--password-file", item.passwordFile().toString()));
        }
        if (settings.reproducible()) {
            cmd.add("--reproducible");
        }
        cmd.addAll(settings.extraArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean finished = settings.itemTimeout() == null ? p.waitFor(365, TimeUnit.DAYS)
                : p.waitFor(settings.itemTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String status;
        String reason = null;
        int exit;
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            status = "timeout";
            exit = -1;
            reason = "no result within " + settings.itemTimeout().toSeconds() + " s (--item-timeout); the process was stopped";
        } else {
            exit = p.exitValue();
            status = exit == 0 ? "ok" : "failed";
            if (exit != 0) {
                reason = lastError(log, exit);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int findings = 0;
        Map<String, Integer> verdicts = new TreeMap<>();
        Map<String, String> outputs = new TreeMap<>();
        if ("ok".equals(status)) {
            Path rep = partial.resolve("report.json");
            if (!Files.isRegularFile(rep)) {
                status = "failed";
                reason = "analyze exited 0 but wrote no report.json";
            } else {
                JsonNode root = JSON.readTree(rep.toFile());
                for (JsonNode f : root.path("findings")) {
                    findings++;
                    String v = f.path("verdict").isTextual() ? f.path("verdict").asText() : "not-assessed";
                    verdicts.merge(v, 1, Integer::sum);
                }
                int fsCount = 0;
                List<String> diags = new ArrayList<>();
                for (JsonNode ev : root.path("evidence")) {
                    fsCount += ev.path("fileSystems").size();
                    for (JsonNode d : ev.path("diagnostics")) {
                        diags.add(d.asText());
                    }
                }
                if (fsCount == 0) {
                    status = "no-file-system";
                    reason = "no partition map or file system was recognised in the evidence"
                            + (diags.isEmpty() ? "" : " (" + diags.get(0) + ")");
                }
                for (String o : OUTPUTS) {
                    Path f = partial.resolve(o);
                    if (Files.isRegularFile(f)) {
                        outputs.put(o, sha256(f));
                    }
                }
            }
        }
        List<String> evNames = item.evidence().stream().map(e -> e.getFileName().toString()).toList();
        ItemResult r = new ItemResult(item.id(), evNames, status, reason, exit, ms, findings, verdicts,
                fingerprints(item), outputs, "ok".equals(status) ? "items/" + item.id() + "/report.html" : null);
        ReportOutput.atomic(partial.resolve("item.json"), o -> JSON.writeValue(o, r));
        Path target = itemsDir.resolve(item.id());
        deleteTree(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return r;
    }

    /** The child's one-line error, or a generic reason naming the exit code and the log. */
    static String lastError(Path log, int exit) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (l.startsWith("vestige: error: ")) {
                    return l.substring("vestige: error: ".length());
                }
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("OutOfMemoryError")) {
                    return "out of memory (exit " + exit + "); raise --item-memory";
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "analyze exited with code " + exit + "; see analyze.log";
    }

    /** Reads every recorded item result under {@code out/items}. */
    public static List<ItemResult> recorded(Path out) throws IOException {
        List<ItemResult> results = new ArrayList<>();
        Path items = out.resolve("items");
        if (!Files.isDirectory(items)) {
            return results;
        }
        try (Stream<Path> s = Files.list(items)) {
            for (Path d : s.sorted().toList()) {
                Path rec = d.resolve("item.json");
                if (!d.getFileName().toString().startsWith(".") && Files.isRegularFile(rec)) {
                    results.add(JSON.readValue(rec.toFile(), ItemResult.class));
                }
            }
        }
        results.sort(Comparator.comparing(ItemResult::id));
        return results;
    }

    static Map<String, Object> row(ItemResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status());
        return m;
    }
}
