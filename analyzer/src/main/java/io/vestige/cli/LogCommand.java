package io.vestige.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.LogEventJson;
import io.vestige.format.unifiedlog.LogEventSink;
import io.vestige.format.unifiedlog.export.LogExportReader;
import io.vestige.format.unifiedlog.tracev3.UnifiedLogStore;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vestige log SOURCE...}: prints unified-log events with {@code log show}'s field names from
 * exports (JSON, NDJSON, text), {@code .logarchive} or {@code diagnostics} folders, single tracev3
 * files, or evidence (any file system holding {@code /private/var/db/diagnostics}). Counters and
 * diagnostics go to stderr at the end.
 */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Print unified-log events from exports, .logarchive/diagnostics folders, tracev3 files or evidence.")
public final class LogCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "export file, .logarchive or diagnostics folder, tracev3 file, or evidence")
    List<Path> sources;

    @Option(names = "--ndjson", description = "one JSON object per event, log show field names")
    boolean ndjson;

    @Option(names = "--since", paramLabel = "ISO", description = "only events at or after this time (2024-01-02T03:04:05Z, a date, or local date-time as UTC)")
    String since;

    @Option(names = "--until", paramLabel = "ISO", description = "only events before this time")
    String until;

    @Option(names = "--process", paramLabel = "GLOB", description = "process name or path glob")
    String process;

    @Option(names = "--path", paramLabel = "GLOB", description = "glob over the process or sender image path")
    String path;

    private Instant from;
    private Instant to;
    private Pattern processRe;
    private Pattern pathRe;
    private JsonGenerator gen;
    private PrintWriter out;
    private long printed;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        from = since == null ? null : parseTime(since);
        to = until == null ? null : parseTime(until);
        processRe = process == null ? null : glob(process);
        pathRe = path == null ? null : glob(path);
        if (ndjson) {
            gen = Cli.json().getFactory().createGenerator(out);
            gen.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        }
        DecodeStats total = null;
        Diagnostics diags = new Diagnostics();
        for (Path src : sources) {
            DecodeStats s = readSource(src, this::emit, diags);
            err.println("vestige log: " + s.summary());
            total = total == null ? s : total.plus(s);
        }
        if (gen != null) {
            gen.flush();
            out.println();
        }
        out.flush();
        int shown = 0;
        for (Diagnostic d : diags.list()) {
            if (d.severity() != Diagnostic.Severity.INFO && shown++ < 50) {
                err.println("vestige log: " + d);
            }
        }
        if (total != null && sources.size() > 1) {
            err.println("vestige log: total: " + total.summary());
        }
        err.println("vestige log: " + printed + " events printed, " + diags.list().size() + " diagnostics");
        if (total != null && total.eventsEmitted() == 0 && (total.decodeErrors() > 0 || !diags.isEmpty())) {
            err.println("vestige log: error: no event could be decoded; check that the source is a log show export,"
                    + " a .logarchive, a diagnostics folder or a tracev3 file");
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        err.flush();
        return ExitCodes.OK;
    }

    static Instant parseTime(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO time: '" + s + "' (use 2024-01-02T03:04:05Z or 2024-01-02)");
        }
    }

    /** A glob ({@code *}, {@code ?}) as a regex; {@code *} also crosses {@code /}. */
    static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }

    private boolean accept(LogEvent e) {
        if (from != null && (e.timestamp() == null || e.timestamp().isBefore(from))) {
            return false;
        }
        if (to != null && (e.timestamp() == null || !e.timestamp().isBefore(to))) {
            return false;
        }
        if (processRe != null) {
            String p = e.processImagePath();
            String name = p == null ? (e.extra().get("processName") instanceof String s ? s : null)
                    : p.substring(p.lastIndexOf('/') + 1);
            if (!(name != null && processRe.matcher(name).matches()) && !(p != null && processRe.matcher(p).matches())) {
                return false;
            }
        }
        if (pathRe != null) {
            String p = e.processImagePath();
            String s = e.senderImagePath();
            if (!(p != null && pathRe.matcher(p).matches()) && !(s != null && pathRe.matcher(s).matches())) {
                return false;
            }
        }
        return true;
    }

    private void emit(LogEvent e) throws IOException {
        if (!accept(e)) {
            return;
        }
        printed++;
        if (gen != null) {
            LogEventJson.write(gen, e);
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(e.timestamp() == null ? "-" : LogEventJson.timestampText(e.timestamp())).append(' ');
        sb.append(e.messageType() != null ? e.messageType() : e.eventType() == null ? "-" : e.eventType());
        sb.append(" pid ").append(e.processID() == null ? "-" : e.processID()).append(' ');
        String p = e.processImagePath();
        String name = p != null ? p.substring(p.lastIndexOf('/') + 1)
                : e.extra().get("processName") instanceof String s ? s : "?";
        sb.append(name).append(": ");
        if (e.subsystem() != null) {
            sb.append('[').append(e.subsystem()).append(':').append(e.category() == null ? "" : e.category()).append("] ");
        }
        sb.append(e.eventMessage() == null ? "" : e.eventMessage());
        out.println(sb);
    }

    /** Reads one source of any supported kind. */
    static DecodeStats readSource(Path src, LogEventSink sink, Diagnostics diags) throws IOException {
        if (!Files.exists(src)) {
            throw new NoSuchFileException(src.toString());
        }
        String name = src.getFileName() == null ? src.toString() : src.getFileName().toString();
        if (Files.isDirectory(src)) {
            if (looksLikeStore(src)) {
                Path parent = src.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(src.resolve("uuidtext")) && Files.isDirectory(parent.resolve("uuidtext"))) {
                    // a copied /private/var/db/diagnostics folder: its uuidtext folder sits beside it
                    DirectoryFileSystem fs = DirectoryFileSystem.of(parent);
                    try (UnifiedLogStore st = UnifiedLogStore.open(fs, "/" + src.getFileName(), "/uuidtext")) {
                        return st.read(sink, diags);
                    }
                }
                try (UnifiedLogStore st = UnifiedLogStore.openLogarchive(src)) {
                    return st.read(sink, diags);
                }
            }
            DirectoryFileSystem fs = DirectoryFileSystem.of(src);
            DecodeStats s = fromFileSystem(fs, sink, diags);
            if (s != null) {
                return s;
            }
        } else {
            try (ByteSource b = ByteSources.open(src)) {
                if (name.toLowerCase(Locale.ROOT).endsWith(".tracev3")) {
                    return UnifiedLogStore.readFile(b, EvidencePath.ofFile(name), null, sink, diags);
                }
                try {
                    LogExportReader.detect(b);
                    return LogExportReader.read(b, EvidencePath.ofFile(name), sink, diags);
                } catch (UnsupportedFormatException notExport) {
                    // try it as evidence below
                }
            }
        }
        try (OpenedEvidence ev = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).open(src)) {
            DecodeStats total = null;
            for (FileSystem fs : ev.fileSystems()) {
                DecodeStats s = fromFileSystem(fs, sink, diags);
                if (s != null) {
                    total = total == null ? s : total.plus(s);
                }
            }
            if (total == null) {
                throw new ParseException("unified log", -1, "no log export, tracev3 store or /private/var/db/diagnostics in " + src);
            }
            return total;
        }
    }

    private static DecodeStats fromFileSystem(FileSystem fs, LogEventSink sink, Diagnostics diags) throws IOException {
        for (String root : List.of("/private/var/db", "/var/db")) {
            UnifiedLogStore st;
            try {
                st = UnifiedLogStore.open(fs, root + "/diagnostics", root + "/uuidtext");
            } catch (ParseException e) {
                continue;
            }
            try (st) {
                return st.read(sink, diags);
            }
        }
        return null;
    }

    private static boolean looksLikeStore(Path dir) throws IOException {
        for (String sub : List.of("Persist", "Special", "Signpost", "HighVolume", "timesync")) {
            if (Files.isDirectory(dir.resolve(sub))) {
                return true;
            }
        }
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tracev3"));
        }
    }
}
