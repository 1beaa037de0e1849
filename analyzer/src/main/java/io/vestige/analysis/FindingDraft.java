package io.vestige.analysis;

import io.vestige.evidence.FileTimes;
import io.vestige.format.quarantine.QuarantineXattr;
import io.vestige.hunt.BundleEvidence;
import io.vestige.hunt.BundleInspector;
import io.vestige.hunt.HuntRule;
import io.vestige.hunt.VerdictEngine;
import io.vestige.reports.Finding;
import io.vestige.reports.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A finding before it is numbered: the rule, the bundle's facts (null for a bundle known only from
 * traces), its signature, and what the traces say. {@link #decide()} computes the verdict once every
 * source has been correlated.
 */
final class FindingDraft {
    private final String evidence;
    private final HuntRule rule;
    private final BundleInspector.BundleFacts facts;
    private final String bundlePath;
    private final String evidencePath;
    private final List<TimelineEvent> timeline = new ArrayList<>();
    private final List<Finding.Reason> reasons = new ArrayList<>();
    private final List<String> attack = new ArrayList<>();
    private final Map<String, Object> machO = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<UUID> imageUuids = new HashSet<>();
    final List<QuarantineXattr> quarantine = new ArrayList<>();
    final List<String> quarantineProvenance = new ArrayList<>();
    private final List<BundleEvidence.Origin> origins = new ArrayList<>();
    private final List<BundleEvidence.Launch> launches = new ArrayList<>();
    private final List<String> traces = new ArrayList<>();
    private final List<Finding.HashSetHit> hashSetHits = new ArrayList<>();
    private BundleEvidence.Signature signature;
    private Object codeSignature;
    private String verdict;

    private FindingDraft(String evidence, HuntRule rule, BundleInspector.BundleFacts facts, String bundlePath,
                         String evidencePath) {
        this.evidence = evidence;
        this.rule = rule;
        this.facts = facts;
        this.bundlePath = bundlePath;
        this.evidencePath = evidencePath;
        this.attack.addAll(rule.attack());
        if (facts != null) {
            timeline.addAll(Timeline.fileEvents(facts.bundle(), "bundle folder"));
            if (facts.executable() != null) {
                timeline.addAll(Timeline.fileEvents(facts.executable().entry(), "bundle executable"));
            }
            notes.addAll(facts.notes());
            traces.add(facts.bundle().evidencePath().toString());
        }
    }

    static FindingDraft of(String evidence, HuntRule rule, BundleInspector.BundleFacts facts) {
        return new FindingDraft(evidence, rule, facts, facts.bundle().path(), facts.bundle().evidencePath().toString());
    }

    /** A bundle known only from traces. */
    static FindingDraft ghost(String evidence, HuntRule rule, String bundlePath, String firstTrace) {
        FindingDraft d = new FindingDraft(evidence, rule, null, bundlePath, firstTrace);
        d.notes.add("The bundle is not present in the evidence; it is known only from the traces listed in the timeline");
        return d;
    }

    String bundlePath() {
        return bundlePath;
    }

    String evidence() {
        return evidence;
    }

    String evidencePath() {
        return evidencePath;
    }

    boolean present() {
        return facts != null && facts.executable() != null;
    }

    List<TimelineEvent> timeline() {
        return timeline;
    }

    Set<UUID> imageUuids() {
        return imageUuids;
    }

    void signature(BundleEvidence.Signature s, Object full) {
        this.signature = s;
        this.codeSignature = full;
    }

    Map<String, Object> machO() {
        return machO;
    }

    /** Looks up every hashed file of the bundle, the main executable first. */
    void lookupHashes(io.vestige.hashsets.HashSets sets) throws java.io.IOException {
        if (facts == null || sets.isEmpty()) {
            return;
        }
        List<BundleInspector.BundleFile> files = new ArrayList<>();
        if (facts.executable() != null) {
            files.add(facts.executable());
        }
        for (BundleInspector.BundleFile f : facts.files()) {
            if (facts.executable() == null || !f.entry().path().equals(facts.executable().entry().path())) {
                files.add(f);
            }
        }
        for (BundleInspector.BundleFile f : files) {
            if (f.digests() != null) {
                hashSetHits.addAll(sets.lookup(f.entry().path(), f.digests().md5(), f.digests().sha1(), f.digests().sha256()));
            }
        }
    }

    void note(String n) {
        notes.add(n);
    }

    void correlate(Correlator.Result r) {
        timeline.addAll(r.timeline());
        origins.addAll(r.origins());
        launches.addAll(r.launches());
        for (String t : r.traces()) {
            if (!traces.contains(t)) {
                traces.add(t);
            }
        }
        notes.addAll(r.notes());
    }

    void decide() {
        String exeName = facts != null && facts.executable() != null ? facts.executable().entry().name() : null;
        String bundleId = facts != null && facts.infoPlist().get("CFBundleIdentifier") instanceof String s ? s : null;
        String exePath = facts != null && facts.executable() != null ? facts.executable().entry().path() : null;
        BundleEvidence be = new BundleEvidence(present(), exeName, bundleId, signature, origins, launches, traces,
                exePath, hashSetHits);
        VerdictEngine.Result vr = VerdictEngine.decide(rule, be);
        verdict = vr.verdict();
        for (Finding.Reason r : vr.reasons()) {
            reasons.add(r);
            for (String a : r.attack()) {
                if (!attack.contains(a)) {
                    attack.add(a);
                }
            }
        }
        timeline.sort(Timeline.ORDER);
    }

    Finding toFinding(String id) {
        Finding.BundleInfo bundle = null;
        Finding.Executable exe = null;
        List<Finding.FileHash> files = new ArrayList<>();
        Map<String, String> times = new TreeMap<>();
        if (facts != null) {
            Map<String, Object> info = facts.infoPlist();
            Map<String, String> plistText = new TreeMap<>();
            info.forEach((k, v) -> plistText.put(k, render(v)));
            bundle = new Finding.BundleInfo(str(info.get("CFBundleIdentifier")), str(info.get("CFBundleName")),
                    str(info.get("CFBundleVersion")), str(info.get("CFBundleShortVersionString")),
                    str(info.get("CFBundleExecutable")), facts.infoPlistPath(), facts.infoPlistFormat(), plistText);
            BundleInspector.BundleFile ef = facts.executable();
            if (ef != null && ef.digests() != null) {
                exe = new Finding.Executable(ef.entry().path(), ef.digests().size(), ef.digests().md5(), ef.digests().sha1(),
                        ef.digests().sha256(), ef.entry().evidencePath().toString(), machO);
            }
            for (BundleInspector.BundleFile f : facts.files()) {
                FileTimes t = f.entry().times();
                String mod = t == null || t.modified() == null ? null : t.modified().toString();
                if (f.digests() == null) {
                    files.add(new Finding.FileHash(f.entry().path(), f.entry().kind().label(), f.entry().size(), null, null,
                            null, mod, false));
                } else {
                    files.add(new Finding.FileHash(f.entry().path(), f.entry().kind().label(), f.digests().size(),
                            f.digests().md5(), f.digests().sha1(), f.digests().sha256(), mod, f.machO()));
                }
            }
            times.putAll(BundleInspector.times(facts.bundle()));
        }
        List<String> attackSorted = new ArrayList<>(attack);
        attackSorted.sort(String::compareTo);
        return new Finding(id, rule.id(), rule.title(), rule.severity(), verdict, reasons, attackSorted, bundlePath,
                evidence, evidencePath, bundle, exe, files, times, codeSignature, timeline, notes, hashSetHits);
    }

    static String str(Object o) {
        return o instanceof String s ? s : o == null ? null : render(o);
    }

    static String render(Object v) {
        if (v instanceof byte[] b) {
            return "<" + b.length + " bytes>";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return io.vestige.reports.HtmlView.text(v);
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return String.valueOf(v);
    }
}
