package io.vestige.analysis;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.reports.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds, orders and de-duplicates timeline events. */
public final class Timeline {
    private Timeline() {
    }

    /** Time, then source, then message, then provenance: a total order, so output is deterministic. */
    public static final Comparator<TimelineEvent> ORDER = Comparator.comparingLong(TimelineEvent::epochNanos)
            .thenComparing(TimelineEvent::source).thenComparing(TimelineEvent::timestampDesc)
            .thenComparing(e -> e.path() == null ? "" : e.path()).thenComparing(TimelineEvent::message)
            .thenComparing(TimelineEvent::evidencePath);

    public static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    public static TimelineEvent event(Instant when, String precision, String desc, String source, String message,
                                      String path, String evidencePath, Map<String, Object> attrs) {
        return new TimelineEvent(when.toString(), nanos(when), precision, desc, source, message, path, evidencePath,
                attrs == null ? Map.of() : attrs);
    }

    /** The file-system times of one entry as events ("Creation Time", "Content Modification Time" …). */
    public static List<TimelineEvent> fileEvents(FileEntry e, String role) {
        List<TimelineEvent> out = new ArrayList<>();
        FileTimes t = e.times();
        if (t == null) {
            return out;
        }
        add(out, e, t.created(), "Creation Time", role);
        add(out, e, t.modified(), "Content Modification Time", role);
        add(out, e, t.changed(), "Metadata Modification Time", role);
        add(out, e, t.accessed(), "Last Access Time", role);
        add(out, e, t.added(), "Date Added", role);
        return out;
    }

    private static void add(List<TimelineEvent> out, FileEntry e, Instant when, String desc, String role) {
        if (when == null) {
            return;
        }
        Map<String, Object> attrs = new TreeMap<>();
        attrs.put("role", role);
        if (e.inode() >= 0) {
            attrs.put("inode", e.inode());
        }
        String src = "file system (" + e.evidencePath().withoutPath().last().layer() + ")";
        out.add(event(when, "ns", desc, src, desc + " of " + role + " " + e.path(), e.path(),
                e.evidencePath().toString(), attrs));
    }

    /** Removes exact duplicates (same time, meaning, source, path, message and provenance), keeping order. */
    public static List<TimelineEvent> dedupe(List<TimelineEvent> sorted) {
        List<TimelineEvent> out = new ArrayList<>(sorted.size());
        TimelineEvent prev = null;
        for (TimelineEvent e : sorted) {
            if (prev != null && ORDER.compare(prev, e) == 0) {
                continue;
            }
            out.add(e);
            prev = e;
        }
        return out;
    }
}
