package io.vestige.analysis;

import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.Partition;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.hunt.BundleEvidence;
import io.vestige.hunt.BundleInspector;
import io.vestige.hunt.SignatureFacts;
import io.vestige.hunt.VerdictEngine;
import io.vestige.hunt.BundleLocator;
import io.vestige.hunt.Digests;
import io.vestige.hunt.HuntRule;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.reports.EvidenceItem;
import io.vestige.reports.Finding;
import io.vestige.reports.Report;
import io.vestige.reports.TimelineEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One analysis run: opens each evidence item down to its file systems, runs the hunts, and builds
 * the {@link Report}. The report depends only on the evidence and the options (the generation
 * time is a stated field, fixed under {@code reproducible}), so the same input gives the same bytes.
 */
public final class Analysis {

    /** Everything a run depends on. */
    public record Options(List<Path> evidence, Report.CaseInfo caseInfo, boolean reproducible,
                          OpenOptions open, List<HuntRule> rules, int maxBundleFiles,
                          List<java.security.cert.X509Certificate> trustAnchors, String mediaHash,
                          io.vestige.hashsets.HashSets hashSets, java.time.ZoneId displayZone) {
        public Options {
            hashSets = hashSets == null ? io.vestige.hashsets.HashSets.empty() : hashSets;
            displayZone = displayZone == null || displayZone.getId().equals("Z") ? java.time.ZoneId.of("UTC") : displayZone;
            evidence = List.copyOf(evidence);
            rules = List.copyOf(rules);
            trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
            mediaHash = mediaHash == null ? "auto" : mediaHash;
            if (!List.of("auto", "always", "never").contains(mediaHash)) {
                throw new IllegalArgumentException("--media-hash takes auto, always or never, not " + mediaHash);
            }
        }
    }

    private final Options options;
    private final Progress progress;
    private final ProbeRegistry registry;
    private final List<Report.AuditEntry> audit = new ArrayList<>();
    private final List<String> bodyfile = new ArrayList<>();

    /** TSK bodyfile lines of every entry of every bundle found, sorted (available after {@link #run}). */
    public List<String> bodyfile() {
        List<String> b = new ArrayList<>(bodyfile);
        b.sort(null);
        return b;
    }

    public Analysis(Options options, ProbeRegistry registry, Progress progress) {
        this.options = options;
        this.registry = registry;
        this.progress = progress;
    }

    public Report run(Report.ToolInfo tool) throws IOException {
        List<EvidenceItem> items = new ArrayList<>();
        List<FindingDraft> drafts = new ArrayList<>();
        List<TimelineEvent> timeline = new ArrayList<>();
        audit("configuration", "rules " + options.rules().stream().map(HuntRule::id).toList()
                + "; limits " + options.open().limits().asMap());
        for (String line : options.hashSets().scopeLines()) {
            audit("hash set", line);
        }
        Traces traces = new Traces(options.open().limits());
        for (Path p : options.evidence()) {
            if (isLogExport(p)) {
                items.add(logExport(p, traces));
            } else {
                items.add(analyzeOne(p, drafts, timeline, traces));
            }
        }
        correlate(drafts, traces, timeline);
        drafts.sort(Comparator.comparing(FindingDraft::bundlePath).thenComparing(FindingDraft::evidence)
                .thenComparing(FindingDraft::evidencePath));
        List<Finding> findings = new ArrayList<>();
        int n = 0;
        for (FindingDraft d : drafts) {
            findings.add(d.toFinding(String.format("F%03d", ++n)));
        }
        timeline.sort(Timeline.ORDER);
        List<TimelineEvent> deduped = Timeline.dedupe(timeline);
        String generatedAt = options.reproducible() ? reproducibleTime() : Instant.now().toString();
        Map<String, Object> config = new TreeMap<>();
        config.put("limits", options.open().limits().asMap());
        config.put("rules", options.rules().stream().map(r -> Map.of("id", r.id(), "title", r.title(),
                "bundlePath", r.bundlePath().pattern(), "severity", r.severity(), "attack", r.attack())).toList());
        config.put("reproducible", options.reproducible());
        config.put("maxBundleFiles", options.maxBundleFiles());
        config.put("hashSets", options.hashSets().describe());
        config.put("displayZone", options.displayZone().getId());
        Report.Scope scope = Scope.describe(items, findings, traces);
        if (!options.hashSets().isEmpty()) {
            List<String> examined = new ArrayList<>(scope.examined());
            examined.addAll(options.hashSets().scopeLines());
            scope = new Report.Scope(examined, scope.notExamined(), scope.limitations(), scope.counters());
        }
        return new Report(Report.SCHEMA, tool, generatedAt, options.caseInfo(), items, findings, deduped,
                scope, audit, config, options.displayZone().getId());
    }

    static String reproducibleTime() {
        String sde = System.getenv("SOURCE_DATE_EPOCH");
        if (sde != null && sde.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(sde)).toString();
        }
        return Instant.EPOCH.toString();
    }

    private void audit(String step, String detail) {
        audit.add(new Report.AuditEntry(step, detail));
    }

    /** A file named like a {@code log show} export whose first bytes look like one. */
    static boolean isLogExport(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!Files.isRegularFile(p) || !(n.endsWith(".ndjson") || n.endsWith(".jsonl") || n.endsWith(".json")
                || n.endsWith(".log") || n.endsWith(".txt"))) {
            return false;
        }
        try (ByteSource src = ByteSources.open(p)) {
            io.vestige.format.unifiedlog.export.LogExportReader.detect(src);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private EvidenceItem logExport(Path p, Traces traces) throws IOException {
        String name = p.getFileName().toString();
        progress.status("reading log export " + name, true);
        List<EvidenceItem.EvidenceFile> files = new ArrayList<>();
        String style;
        try (ByteSource src = ByteSources.open(p)) {
            Digests d = Digests.of(src);
            files.add(new EvidenceItem.EvidenceFile(name, d.size(), d.sha256()));
            style = io.vestige.format.unifiedlog.export.LogExportReader.detect(src).style().name().toLowerCase(java.util.Locale.ROOT);
            traces.gatherExport(src, io.vestige.evidence.EvidencePath.ofFile(name));
        } finally {
            progress.done();
        }
        audit("read log export", name + " (" + style + ")");
        Map<String, Object> container = new TreeMap<>();
        container.put("format", "log-export");
        container.put("style", style);
        return new EvidenceItem(name, files, container, List.of(), List.of(), null, List.of());
    }

    private void correlate(List<FindingDraft> drafts, Traces traces, List<TimelineEvent> timeline) {
        Correlator c = new Correlator(traces);
        java.util.Set<String> known = new java.util.HashSet<>();
        for (FindingDraft d : drafts) {
            known.add(Correlator.alias(d.bundlePath().toLowerCase(java.util.Locale.ROOT)));
            d.correlate(c.correlate(d.bundlePath(), d.imageUuids(), d.quarantine, d.quarantineProvenance));
        }
        for (String b : c.bundlesInTraces()) {
            if (known.contains(Correlator.alias(b.toLowerCase(java.util.Locale.ROOT)))) {
                continue;
            }
            HuntRule rule = ruleFor(Correlator.alias(b));
            if (rule == null) {
                continue;
            }
            known.add(Correlator.alias(b.toLowerCase(java.util.Locale.ROOT)));
            Correlator.Result r = c.correlate(b, java.util.Set.of(), List.of(), List.of());
            String first = r.traces().isEmpty() ? "traces" : r.traces().get(0);
            String ev = first.contains(io.vestige.evidence.EvidencePath.SEPARATOR)
                    ? first.substring(0, first.indexOf(io.vestige.evidence.EvidencePath.SEPARATOR)) : first;
            FindingDraft g = FindingDraft.ghost(ev, rule, b, first);
            g.correlate(r);
            drafts.add(g);
            audit("bundle known only from traces", b + " (" + r.traces().size() + " trace(s))");
        }
        for (FindingDraft d : drafts) {
            d.decide();
            timeline.addAll(d.timeline());
        }
        for (Diagnostic d : traces.diagnostics) {
            audit("trace diagnostic", d.toString());
        }
    }

    private HuntRule ruleFor(String path) {
        HuntRule rule = null;
        for (HuntRule r : options.rules()) {
            if (r.matches(path) && (rule == null || r.priority() > rule.priority())) {
                rule = r;
            }
        }
        return rule;
    }

    private EvidenceItem analyzeOne(Path path, List<FindingDraft> drafts, List<TimelineEvent> timeline, Traces traces) throws IOException {
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        progress.status("opening " + name, true);
        EvidenceOpener opener = new EvidenceOpener(registry, options.open());
        List<String> diagnostics = new ArrayList<>();
        try (OpenedEvidence ev = opener.open(path)) {
            ContainerInfo ci = ev.container().info();
            audit("open evidence", name + ": format " + ci.format() + ", " + ev.fileSystems().size() + " file system(s)");
            List<EvidenceItem.EvidenceFile> files = hashEvidenceFiles(path, ci);
            Map<String, Object> container = containerMap(ci);
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (OpenedEvidence.Layout l : ev.layouts()) {
                for (Partition p : l.volumeSystem().partitions()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("index", p.index());
                    m.put("scheme", p.scheme());
                    m.put("type", p.type());
                    m.put("typeName", p.typeName());
                    m.put("name", p.name());
                    m.put("offset", p.offset());
                    m.put("length", p.length());
                    m.put("evidencePath", p.evidencePath().toString());
                    partitions.add(m);
                }
            }
            List<EvidenceItem.FileSystemInfo> fsInfos = new ArrayList<>();
            for (FileSystem fs : ev.fileSystems()) {
                fsInfos.add(new EvidenceItem.FileSystemInfo(fs.type(), fs.label(), fs.evidencePath().toString(), fs.info()));
                traces.gather(fs, progress);
                hunt(name, fs, drafts, timeline, diagnostics);
                for (Diagnostic d : fs.diagnostics()) {
                    diagnostics.add(d.toString());
                }
            }
            for (Diagnostic d : ev.diagnostics()) {
                diagnostics.add(d.toString());
            }
            EvidenceItem.MediaHashes mh = mediaHashes(ev, name, diagnostics);
            // a collection's file system and its container share one diagnostics sink: report each once
            List<String> unique = new ArrayList<>(new java.util.LinkedHashSet<>(diagnostics));
            return new EvidenceItem(name, files, container, partitions, fsInfos, mh, unique);
        } finally {
            progress.done();
        }
    }

    private void hunt(String evidenceName, FileSystem fs, List<FindingDraft> drafts, List<TimelineEvent> timeline,
                      List<String> diagnostics) throws IOException {
        progress.status("hunting in " + fs.evidencePath(), true);
        BundleLocator locator = new BundleLocator(options.open().limits().maxTreeDepth(), 5_000_000);
        List<FileEntry> bundles = locator.locate(fs);
        audit("hunt", fs.evidencePath() + ": " + locator.visited() + " entries under temporary locations, "
                + bundles.size() + " app bundle(s)");
        BundleInspector inspector = new BundleInspector(options.open().limits(), options.maxBundleFiles());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (FileEntry b : bundles) {
            seen.add(b.path().toLowerCase(java.util.Locale.ROOT));
            processBundle(evidenceName, b, inspector, drafts, diagnostics, null);
        }
        if (fs instanceof io.vestige.format.apfs.ApfsVolume av) {
            pastViews(evidenceName, av, seen, inspector, drafts, diagnostics);
        }
        for (Diagnostic d : locator.diagnostics()) {
            diagnostics.add(d.toString());
        }
        for (Diagnostic d : inspector.diagnostics()) {
            diagnostics.add(d.toString());
        }
    }

    /**
     * Inspects one bundle folder; {@code sighting} says where a bundle no longer present was seen
     * (an older checkpoint or a snapshot), null for the live file system.
     */
    private void processBundle(String evidenceName, FileEntry b, BundleInspector inspector, List<FindingDraft> drafts,
                               List<String> diagnostics, String sighting) throws IOException {
            HuntRule rule = ruleFor(b.path());
            if (rule == null) {
                return;
            }
            progress.status("inspecting " + b.path());
            BundleInspector.BundleFacts facts = inspector.inspect(b);
            if (facts.executable() == null || !facts.executable().machO()) {
                // The hunt is for Mach-O executables inside bundles; a bundle without one is noted, not a finding.
                audit("bundle without Mach-O executable", b.evidencePath().toString());
                return;
            }
            bodyLines(evidenceName, b, 0);
            FindingDraft d = FindingDraft.of(evidenceName, rule, facts);
            if (sighting != null) {
                d.note("Deleted since acquisition-time state: recovered from " + sighting + "; its bytes were read from blocks that were still intact");
            }
            progress.status("verifying the signature of " + b.path());
            BundleEvidence.Signature sig = null;
            try {
                io.vestige.codesign.CodeSignResult cs = io.vestige.codesign.CodeSignatureVerifier.verifyBundle(b,
                        io.vestige.codesign.VerifyOptions.defaults().withLimits(options.open().limits())
                                .withTrustAnchors(options.trustAnchors()));
                d.machO().putAll(SignatureFacts.machO(cs));
                sig = SignatureFacts.of(cs, facts.executable().entry().evidencePath().toString());
                for (io.vestige.codesign.CodeSignResult.SliceResult sl : cs.slices()) {
                    if (sl.uuid() != null) {
                        try {
                            d.imageUuids().add(java.util.UUID.fromString(sl.uuid()));
                        } catch (IllegalArgumentException ignored) {
                            // not a UUID string: nothing to match in uuidtext
                        }
                    }
                }
                d.signature(sig, cs);
            } catch (IOException | RuntimeException e) {
                d.note("code signature could not be verified: " + e.getMessage());
                diagnostics.add(Diagnostic.warning(b.evidencePath().toString(), "code signature", -1, String.valueOf(e.getMessage())).toString());
            }
            quarantine(d, b, facts);
            try {
                d.lookupHashes(options.hashSets());
            } catch (IOException e) {
                // A failing set must not hide the rest of the analysis; the finding says the look-up is incomplete.
                d.note("hash-set look-up incomplete: " + e.getMessage());
                diagnostics.add(Diagnostic.warning(b.evidencePath().toString(), "hash sets", -1, String.valueOf(e.getMessage())).toString());
            }
            drafts.add(d);
    }

    /** Bundles that exist in an older checkpoint or a snapshot of an APFS volume but not in its live tree. */
    private void pastViews(String evidenceName, io.vestige.format.apfs.ApfsVolume live, java.util.Set<String> seen,
                           BundleInspector inspector, List<FindingDraft> drafts, List<String> diagnostics) {
        List<io.vestige.format.apfs.ApfsVolume> views = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (io.vestige.format.apfs.ApfsSnapshot s : live.snapshots()) {
                views.add(live.openSnapshot(s));
                names.add("APFS snapshot \"" + s.name() + "\" (xid " + s.xid() + ")");
            }
        } catch (IOException | RuntimeException e) {
            diagnostics.add(Diagnostic.warning(live.evidencePath().toString(), "apfs snapshots", -1, String.valueOf(e.getMessage())).toString());
        }
        for (io.vestige.format.apfs.ApfsCheckpoint cp : live.container().checkpoints()) {
            if (cp.xid() >= live.xid()) {
                continue;
            }
            try {
                views.add(live.container().openVolume(live.index(), cp).strict());
                names.add("APFS checkpoint xid " + cp.xid());
            } catch (IOException | RuntimeException e) {
                audit("older checkpoint not usable", live.evidencePath() + " xid " + cp.xid() + ": " + e.getMessage());
            }
        }
        for (int i = 0; i < views.size(); i++) {
            BundleLocator locator = new BundleLocator(options.open().limits().maxTreeDepth(), 5_000_000);
            try {
                List<FileEntry> past = locator.locate(views.get(i));
                audit("hunt in the past", names.get(i) + " of " + live.evidencePath() + ": " + past.size() + " app bundle(s)");
                for (FileEntry b : past) {
                    if (seen.add(b.path().toLowerCase(java.util.Locale.ROOT))) {
                        processBundle(evidenceName, b, inspector, drafts, diagnostics, names.get(i));
                    }
                }
            } catch (IOException | RuntimeException e) {
                audit("past view not readable", names.get(i) + ": " + e.getMessage());
            }
        }
    }

    /** Reads {@code com.apple.quarantine} from the bundle folder and its executable. */
    private static void quarantine(FindingDraft d, FileEntry bundle, BundleInspector.BundleFacts facts) {
        List<FileEntry> entries = new ArrayList<>();
        entries.add(bundle);
        if (facts.executable() != null) {
            entries.add(facts.executable().entry());
        }
        for (FileEntry e : entries) {
            try {
                for (io.vestige.evidence.Xattr x : e.xattrs()) {
                    if (!x.name().equals(io.vestige.format.quarantine.QuarantineXattr.NAME) || x.size() > 4096) {
                        continue;
                    }
                    try (ByteSource src = x.content()) {
                        d.quarantine.add(io.vestige.format.quarantine.QuarantineXattr.parse(src.readBytes(0, (int) src.size())));
                        d.quarantineProvenance.add(e.evidencePath() + " xattr " + x.name());
                    }
                }
            } catch (IOException | RuntimeException ex) {
                d.note("quarantine attribute of " + e.path() + " not read: " + ex.getMessage());
            }
        }
    }

    /**
     * MD5, SHA-1 and SHA-256 of the media, compared with the hashes the acquisition stored: by default
     * when the container stores any ({@code auto}), always, or never.
     */
    private EvidenceItem.MediaHashes mediaHashes(OpenedEvidence ev, String name, List<String> diagnostics) throws IOException {
        ContainerInfo ci = ev.container().info();
        ByteSource media = ev.container().media();
        if (media == null || options.mediaHash().equals("never")
                || (options.mediaHash().equals("auto") && ci.storedHashes().isEmpty())) {
            return null;
        }
        long total = media.size();
        progress.status("hashing the media of " + name, true);
        io.vestige.io.MediaHasher.Result r = io.vestige.io.MediaHasher.hash(media, List.of("md5", "sha1", "sha256"),
                options.open().threads(), done -> progress.status(String.format("hashing the media of %s: %d%%", name,
                        total == 0 ? 100 : done * 100 / total)));
        Boolean match = null;
        for (Map.Entry<String, String> st : ci.storedHashes().entrySet()) {
            String c = r.digests().get(st.getKey());
            if (c != null) {
                match = (match == null || match) && c.equalsIgnoreCase(st.getValue());
            }
        }
        for (io.vestige.io.DamagedRange d : r.damaged()) {
            diagnostics.add("damaged media range: " + d);
        }
        audit("verify media", name + ": " + r.bytes() + " bytes hashed; stored hashes "
                + (match == null ? "absent" : match ? "match" : "DO NOT MATCH"));
        return new EvidenceItem.MediaHashes(r.digests(), ci.storedHashes(), match);
    }

    private void bodyLines(String evidenceName, FileEntry e, int depth) throws IOException {
        io.vestige.evidence.FileTimes t = e.times() == null ? io.vestige.evidence.FileTimes.NONE : e.times();
        char k = e.kind().typeChar();
        String perms = "---------";
        if (e.mode() >= 0) {
            StringBuilder sb = new StringBuilder();
            String rwx = "rwxrwxrwx";
            for (int i = 0; i < 9; i++) {
                sb.append((e.mode() & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
            }
            perms = sb.toString();
        }
        bodyfile.add(io.vestige.reports.Bodyfile.line(null, evidenceName + ":" + e.path(), e.inode(), k + "/" + k + perms,
                e.uid(), e.gid(), e.size(), t.accessed(), t.modified(), t.changed(), t.created(), false));
        if (e.isDirectory() && depth < options.open().limits().maxTreeDepth()) {
            for (FileEntry c : e.children()) {
                bodyLines(evidenceName, c, depth + 1);
            }
        }
    }

    private List<EvidenceItem.EvidenceFile> hashEvidenceFiles(Path path, ContainerInfo ci) throws IOException {
        List<EvidenceItem.EvidenceFile> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            return out;
        }
        Path dir = path.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (String seg : ci.segments()) {
            Path f = dir.resolve(seg);
            if (Files.isRegularFile(f) && !files.contains(f)) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            files.add(path);
        }
        for (Path f : files) {
            progress.status("hashing " + f.getFileName(), true);
            try (ByteSource src = ByteSources.open(f)) {
                Digests d = Digests.of(src);
                out.add(new EvidenceItem.EvidenceFile(f.getFileName().toString(), d.size(), d.sha256()));
            }
        }
        audit("hash evidence files", out.size() + " file(s) hashed with SHA-256");
        return out;
    }

    static Map<String, Object> containerMap(ContainerInfo ci) {
        Map<String, Object> m = new TreeMap<>();
        m.put("format", ci.format());
        if (ci.mediaSize() >= 0) {
            m.put("mediaSize", ci.mediaSize());
        }
        if (ci.sectorSize() > 0) {
            m.put("sectorSize", ci.sectorSize());
        }
        m.put("segments", ci.segments());
        if (!ci.storedHashes().isEmpty()) {
            m.put("storedHashes", ci.storedHashes());
        }
        if (!ci.metadata().isEmpty()) {
            m.put("metadata", ci.metadata());
        }
        if (!ci.details().isEmpty()) {
            m.put("details", ci.details());
        }
        return m;
    }
}
