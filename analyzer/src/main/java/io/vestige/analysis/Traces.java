package io.vestige.analysis;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.format.fsevents.FseventsRecord;
import io.vestige.format.fsevents.FseventsStore;
import io.vestige.format.quarantine.QuarantineEvent;
import io.vestige.format.quarantine.QuarantineEventsDb;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.export.LogExportReader;
import io.vestige.format.unifiedlog.tracev3.UnifiedLogStore;
import io.vestige.format.unifiedlog.tracev3.UuidtextInventory;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traces that outlive a bundle, gathered once per run from every file system and log export:
 * unified-log events that involve temporary locations or the download host, FSEvents records under
 * temporary locations, uuidtext files whose image lay in a temporary location, and quarantine
 * events. Only relevant records are kept (bounded), with completeness counters for the report.
 */
public final class Traces {
    /** An FSEvents record with the time that bounds it (its file's modification time). */
    public record FsEvent(FseventsRecord record, String path, Instant notAfter) {
    }

    static final List<String> TEMP_PREFIXES = List.of("/private/tmp/", "/tmp/", "/private/var/tmp/", "/var/tmp/",
            "/private/var/folders/", "/var/folders/");
    static final List<String> MESSAGE_MARKERS = List.of("/tmp/", "/var/folders/", "disthost.umbrella.com", "vpndownloader");
    static final int MAX_KEPT = 200_000;

    final List<LogEvent> logs = new ArrayList<>();
    final List<FsEvent> fsevents = new ArrayList<>();
    final List<UuidtextInventory.Entry> uuidtext = new ArrayList<>();
    final List<QuarantineEvent> quarantine = new ArrayList<>();
    final Map<String, Object> counters = new TreeMap<>();
    final List<String> examined = new ArrayList<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, Long> dropped = new HashMap<>();
    private final ParseLimits limits;

    Traces(ParseLimits limits) {
        this.limits = limits;
    }

    static boolean tempPath(String p) {
        if (p == null) {
            return false;
        }
        String l = p.toLowerCase(Locale.ROOT);
        for (String pre : TEMP_PREFIXES) {
            if (l.startsWith(pre)) {
                return true;
            }
        }
        return false;
    }

    static boolean relevant(LogEvent e) {
        if (tempPath(e.processImagePath()) || tempPath(e.senderImagePath())) {
            return true;
        }
        String m = e.eventMessage();
        if (m == null) {
            return false;
        }
        for (String k : MESSAGE_MARKERS) {
            if (m.contains(k)) {
                return true;
            }
        }
        return false;
    }

    private void keepLog(LogEvent e) {
        if (relevant(e)) {
            if (logs.size() < MAX_KEPT) {
                logs.add(e);
            } else {
                dropped.merge("logs", 1L, Long::sum);
            }
        }
    }

    /** Reads the traces of one file system (native unified log, FSEvents, uuidtext, quarantine databases). */
    void gather(FileSystem fs, Progress progress) {
        String where = fs.evidencePath().toString();
        Diagnostics diags = new Diagnostics(1000, false);
        // macOS volumes are usually case-insensitive; collections copied elsewhere keep the case they were given
        for (String diag : List.of("/private/var/db/diagnostics", "/private/var/db/Diagnostics", "/var/db/diagnostics")) {
            try {
                FileEntry d = fs.lookup(diag);
                if (d == null || !d.isDirectory()) {
                    continue;
                }
                String uuidtextPath = diag.substring(0, diag.lastIndexOf('/')) + "/uuidtext";
                progress.status("reading the unified log of " + where, true);
                try (UnifiedLogStore store = UnifiedLogStore.open(fs, diag, uuidtextPath, limits)) {
                    DecodeStats s = store.read(this::keepLog, diags);
                    counters.put("unifiedLog " + where, stats(s));
                    examined.add("Unified log (tracev3) in " + diag + " of " + where + ": " + s.summary());
                }
                FileEntry u = fs.lookup(uuidtextPath);
                if (u != null && u.isDirectory()) {
                    List<UuidtextInventory.Entry> inv = UuidtextInventory.scan(fs, uuidtextPath, limits, diags);
                    counters.put("uuidtextFiles " + where, inv.size());
                    for (UuidtextInventory.Entry e : inv) {
                        if (tempPath(e.imagePath())) {
                            uuidtext.add(e);
                        }
                    }
                    examined.add("uuidtext inventory in " + uuidtextPath + " of " + where + ": " + inv.size() + " file(s)");
                }
                break;
            } catch (IOException | RuntimeException e) {
                diagnostics.add(Diagnostic.warning(where, "unified log", -1, "unified log not read: " + e.getMessage()));
            }
        }
        try {
            progress.status("reading FSEvents of " + where, true);
            List<FseventsStore.FileInfo> files = new ArrayList<>();
            Map<String, Instant> fileTimes = new HashMap<>();
            List<FseventsRecord> kept = new ArrayList<>();
            long[] total = {0};
            files.addAll(FseventsStore.read(fs, limits, diags, r -> {
                total[0]++;
                String p = r.path().startsWith("/") ? r.path() : "/" + r.path();
                if (tempPath(p) || tempPath(p + "/")) {
                    if (kept.size() < MAX_KEPT) {
                        kept.add(r);
                    } else {
                        dropped.merge("fsevents", 1L, Long::sum);
                    }
                }
            }));
            for (FseventsStore.FileInfo f : files) {
                fileTimes.put(f.summary().fileName(), f.modified());
            }
            for (FseventsRecord r : kept) {
                String p = r.path().startsWith("/") ? r.path() : "/" + r.path();
                fsevents.add(new FsEvent(r, p, fileTimes.get(r.fileName())));
            }
            if (!files.isEmpty()) {
                counters.put("fseventsFiles " + where, files.size());
                counters.put("fseventsRecords " + where, total[0]);
                examined.add("FSEvents: " + files.size() + " file(s), " + total[0] + " record(s) in " + where);
            }
        } catch (IOException | RuntimeException e) {
            diagnostics.add(Diagnostic.warning(where, "fsevents", -1, "FSEvents not read: " + e.getMessage()));
        }
        quarantineDbs(fs, where);
        for (Diagnostic d : diags.list()) {
            diagnostics.add(d);
        }
    }

    private void quarantineDbs(FileSystem fs, String where) {
        List<String> homes = new ArrayList<>();
        homes.add("/private/var/root");
        for (String users : List.of("/Users")) {
            try {
                FileEntry u = fs.lookup(users);
                if (u != null && u.isDirectory()) {
                    for (FileEntry h : u.children()) {
                        if (h.isDirectory()) {
                            homes.add(h.path());
                        }
                    }
                }
            } catch (IOException e) {
                diagnostics.add(Diagnostic.warning(where, "quarantine", -1, "cannot list /Users: " + e.getMessage()));
            }
        }
        for (String home : homes) {
            String p = home + "/" + QuarantineEventsDb.RELATIVE_PATH;
            try {
                FileEntry db = fs.lookup(p);
                if (db == null || !db.isFile()) {
                    continue;
                }
                try (ByteSource src = db.content()) {
                    QuarantineEventsDb q = QuarantineEventsDb.read(src, db.evidencePath(), limits);
                    quarantine.addAll(q.events());
                    examined.add("Quarantine events database " + p + " of " + where + ": " + q.events().size() + " event(s)");
                }
            } catch (IOException | RuntimeException e) {
                diagnostics.add(Diagnostic.warning(where, "quarantine", -1, "quarantine database " + p + " not read: " + e.getMessage()));
            }
        }
    }

    /** Reads a {@code log show} export given as an evidence item. */
    void gatherExport(ByteSource src, EvidencePath where) throws IOException {
        Diagnostics diags = new Diagnostics(1000, false);
        DecodeStats s = LogExportReader.read(src, where, this::keepLog, diags);
        counters.put("logExport " + where, stats(s));
        examined.add("Unified-log export " + where + ": " + s.summary());
        diagnostics.addAll(diags.list());
    }

    static Map<String, Object> stats(DecodeStats s) {
        Map<String, Object> m = new TreeMap<>();
        m.put("entriesRead", s.entriesRead());
        m.put("eventsEmitted", s.eventsEmitted());
        m.put("fullyDecoded", s.fullyDecoded());
        m.put("missingFormatStrings", s.missingFormatStrings());
        m.put("decodeErrors", s.decodeErrors());
        m.put("unsupported", s.unsupported());
        return m;
    }

    Map<String, Long> dropped() {
        return dropped;
    }
}
