package io.vestige.analysis;

import io.vestige.format.fsevents.FseventsRecord;
import io.vestige.format.quarantine.QuarantineEvent;
import io.vestige.format.quarantine.QuarantineXattr;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.tracev3.UuidtextInventory;
import io.vestige.hunt.BundleEvidence;
import io.vestige.reports.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ties the traces to one bundle: log events of its process and sender images, messages naming it or
 * a download URL, the launching process, FSEvents records under its folder, quarantine facts, and
 * uuidtext files for its image UUIDs. Produces timeline events (each with provenance), origins and
 * launches for the verdict, and the list of traces it rests on.
 */
final class Correlator {
    static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");
    private static final Pattern LAUNCH = Pattern.compile("(?i)\\b(launch|exec|spawn|posix_spawn|start|run)\\w*");
    private static final Pattern APP = Pattern.compile("(?i)^(/.*?\\.app)(?:/|$)");

    /** What the traces say about one bundle. */
    record Result(List<TimelineEvent> timeline, List<BundleEvidence.Origin> origins, List<BundleEvidence.Launch> launches,
                  List<String> traces, List<String> notes) {
    }

    private final Traces traces;

    Correlator(Traces traces) {
        this.traces = traces;
    }

    /** The bundle folder a path lies in ({@code /private/tmp/vpn.x/y.app/Contents/MacOS/y} → {@code /private/tmp/vpn.x/y.app}), or null. */
    static String bundleOf(String path) {
        if (path == null) {
            return null;
        }
        Matcher m = APP.matcher(path);
        return m.find() ? m.group(1) : null;
    }

    static boolean under(String path, String folder) {
        if (path == null) {
            return false;
        }
        String p = path.toLowerCase(Locale.ROOT);
        String f = folder.toLowerCase(Locale.ROOT);
        return p.equals(f) || p.startsWith(f + "/") || alias(p).equals(alias(f)) || alias(p).startsWith(alias(f) + "/");
    }

    /** {@code /tmp} and {@code /var} are symlinks to {@code /private/…} on macOS. */
    static String alias(String p) {
        if (p.startsWith("/tmp/") || p.equals("/tmp") || p.startsWith("/var/")) {
            return "/private" + p;
        }
        return p;
    }

    Result correlate(String bundlePath, Set<UUID> imageUuids, List<QuarantineXattr> xattrs, List<String> xattrProvenance) {
        List<TimelineEvent> tl = new ArrayList<>();
        List<BundleEvidence.Origin> origins = new ArrayList<>();
        List<BundleEvidence.Launch> launches = new ArrayList<>();
        Set<String> trace = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        String folder = bundlePath.substring(0, bundlePath.lastIndexOf('/'));
        boolean ranSeen = false;
        for (LogEvent e : traces.logs) {
            boolean own = under(e.processImagePath(), bundlePath);
            boolean sender = under(e.senderImagePath(), bundlePath);
            String msg = e.eventMessage() == null ? "" : e.eventMessage();
            boolean names = msg.toLowerCase(Locale.ROOT).contains(bundlePath.toLowerCase(Locale.ROOT))
                    || (bundlePath.startsWith("/private/") && msg.contains(bundlePath.substring("/private".length()) + "/"));
            if (!own && !sender && !names) {
                continue;
            }
            String prov = e.source() == null ? "unified log" : e.source().toString();
            trace.add(prov);
            String proc = e.processImagePath() == null ? "?" : e.processImagePath();
            String desc;
            if (own) {
                desc = ranSeen ? "Log Time" : "Log Time (first event of the bundle's process)";
                ranSeen = true;
            } else if (sender) {
                desc = "Log Time (bundle code as sender)";
            } else {
                desc = "Log Time (message names the bundle)";
                // a process that merely mentions the bundle (a scanner, a logger) did not launch it
                if (!under(proc, bundlePath) && LAUNCH.matcher(msg).find()) {
                    launches.add(new BundleEvidence.Launch(proc, e.timestamp(), prov));
                }
            }
            if (e.timestamp() != null) {
                Map<String, Object> attrs = new TreeMap<>();
                put(attrs, "processID", e.processID());
                put(attrs, "processImagePath", e.processImagePath());
                put(attrs, "processImageUUID", e.processImageUUID());
                put(attrs, "senderImagePath", e.senderImagePath());
                put(attrs, "subsystem", e.subsystem());
                put(attrs, "category", e.category());
                put(attrs, "messageType", e.messageType());
                put(attrs, "traceID", e.traceID());
                tl.add(Timeline.event(e.timestamp(), "us", desc, "unified log",
                        shortName(proc) + "[" + (e.processID() == null ? "?" : e.processID()) + "]: " + msg, e.processImagePath(), prov, attrs));
            }
            if (own || names) {
                Matcher m = URL.matcher(msg);
                while (m.find()) {
                    origins.add(new BundleEvidence.Origin("log", m.group(), proc, e.timestamp(), prov));
                }
            }
        }
        boolean ownFolder = !isTempRoot(folder);
        for (Traces.FsEvent f : traces.fsevents) {
            if (!under(f.path(), bundlePath) && !(ownFolder && under(f.path(), folder))) {
                continue;
            }
            FseventsRecord r = f.record();
            String prov = r.source() == null ? "fsevents " + r.fileName() : r.source().toString();
            trace.add(prov);
            if (f.notAfter() != null) {
                Map<String, Object> attrs = new TreeMap<>();
                attrs.put("eventId", r.eventId());
                attrs.put("flags", String.join(",", r.flagNames()));
                put(attrs, "nodeId", r.nodeId());
                attrs.put("fseventsFile", r.fileName());
                tl.add(Timeline.event(f.notAfter(), "bounded", "FSEvents (at or before)", "fsevents",
                        "FSEvents " + String.join("|", r.flagNames()) + " " + f.path() + " (event id " + r.eventId() + ")",
                        f.path(), prov, attrs));
            }
        }
        for (int i = 0; i < xattrs.size(); i++) {
            QuarantineXattr q = xattrs.get(i);
            String prov = xattrProvenance.get(i);
            trace.add(prov);
            QuarantineEvent ev = null;
            for (QuarantineEvent c : traces.quarantine) {
                if (q.eventId() != null && q.eventId().equals(c.eventIdentifier())) {
                    ev = c;
                }
            }
            if (q.time() != null) {
                tl.add(Timeline.event(q.time(), "s", "Quarantine Time", "quarantine xattr",
                        "Quarantined by " + q.agent() + (q.eventIdText() == null ? "" : " (event " + q.eventIdText() + ")"),
                        null, prov, Map.of("flags", String.join(",", q.flagNames()))));
            }
            if (ev != null) {
                String url = ev.dataURLString() != null ? ev.dataURLString() : ev.originURLString();
                String eprov = ev.source() == null ? "quarantine database" : ev.source().toString();
                trace.add(eprov);
                origins.add(new BundleEvidence.Origin("quarantine", url, ev.agentName(), ev.timeStamp(), eprov));
                if (ev.timeStamp() != null) {
                    tl.add(Timeline.event(ev.timeStamp(), "us", "Download Time", "quarantine database",
                            "Downloaded by " + ev.agentName() + " from " + url, null, eprov, Map.of()));
                }
            } else {
                notes.add("quarantine attribute " + q.raw() + " (agent " + q.agent() + ") has no matching QuarantineEventsV2 row in the evidence");
            }
        }
        for (UuidtextInventory.Entry u : traces.uuidtext) {
            if (imageUuids.contains(u.uuid()) || under(u.imagePath(), bundlePath)) {
                String prov = u.source() == null ? "uuidtext" : u.source().toString();
                trace.add(prov);
                notes.add("uuidtext file for image " + u.uuid() + " names " + u.imagePath() + " (" + prov + ")");
            }
        }
        return new Result(tl, origins, launches, new ArrayList<>(trace), notes);
    }

    /** Bundle paths seen only in traces (log images, FSEvents paths, uuidtext images). */
    Set<String> bundlesInTraces() {
        Set<String> out = new java.util.TreeSet<>();
        for (LogEvent e : traces.logs) {
            add(out, e.processImagePath());
            add(out, e.senderImagePath());
        }
        for (Traces.FsEvent f : traces.fsevents) {
            add(out, f.path());
        }
        for (UuidtextInventory.Entry u : traces.uuidtext) {
            add(out, u.imagePath());
        }
        return out;
    }

    private static void add(Set<String> out, String p) {
        String b = bundleOf(p);
        if (b != null && Traces.tempPath(b + "/")) {
            out.add(b);
        }
    }

    /** A shared temporary folder (as opposed to a per-download folder such as {@code /private/tmp/vpn.x}). */
    static boolean isTempRoot(String folder) {
        String f = alias(folder.toLowerCase(Locale.ROOT));
        return f.equals("/private/tmp") || f.equals("/private/var/tmp") || f.matches("/private/var/folders/[^/]+/[^/]+/[tc]");
    }

    static String shortName(String path) {
        return path == null ? "?" : path.substring(path.lastIndexOf('/') + 1);
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v instanceof UUID || v instanceof Instant ? v.toString() : v);
        }
    }
}
