package io.vestige.analysis;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.hunt.BundleInspector;
import io.vestige.hunt.HuntRule;
import io.vestige.reports.Finding;
import io.vestige.reports.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A finding before it is numbered: the rule, the bundle's facts, and what is said about them. */
final class FindingDraft {
    private final String evidence;
    private final HuntRule rule;
    private final BundleInspector.BundleFacts facts;
    private final List<TimelineEvent> timeline;
    private String verdict;
    private final List<Finding.Reason> reasons = new ArrayList<>();
    private final List<String> attack = new ArrayList<>();
    private Object codeSignature;
    private final Map<String, Object> machO = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();

    private FindingDraft(String evidence, HuntRule rule, BundleInspector.BundleFacts facts) {
        this.evidence = evidence;
        this.rule = rule;
        this.facts = facts;
        this.timeline = Timeline.fileEvents(facts.bundle(), "bundle folder");
        if (facts.executable() != null) {
            timeline.addAll(Timeline.fileEvents(facts.executable().entry(), "bundle executable"));
        }
        timeline.sort(Timeline.ORDER);
        this.attack.addAll(rule.attack());
        this.notes.addAll(facts.notes());
    }

    static FindingDraft of(String evidence, HuntRule rule, BundleInspector.BundleFacts facts) {
        return new FindingDraft(evidence, rule, facts);
    }

    String bundlePath() {
        return facts.bundle().path();
    }

    String evidence() {
        return evidence;
    }

    String evidencePath() {
        return facts.bundle().evidencePath().toString();
    }

    HuntRule rule() {
        return rule;
    }

    BundleInspector.BundleFacts facts() {
        return facts;
    }

    List<TimelineEvent> timeline() {
        return timeline;
    }

    void verdict(String v) {
        this.verdict = v;
    }

    void reason(Finding.Reason r) {
        reasons.add(r);
        for (String a : r.attack()) {
            if (!attack.contains(a)) {
                attack.add(a);
            }
        }
    }

    void codeSignature(Object cs) {
        this.codeSignature = cs;
    }

    Map<String, Object> machO() {
        return machO;
    }

    void note(String n) {
        notes.add(n);
    }

    Finding toFinding(String id) {
        FileEntry b = facts.bundle();
        Map<String, Object> info = facts.infoPlist();
        Map<String, String> plistText = new TreeMap<>();
        info.forEach((k, v) -> plistText.put(k, render(v)));
        Finding.BundleInfo bundle = new Finding.BundleInfo(str(info.get("CFBundleIdentifier")),
                str(info.get("CFBundleName")), str(info.get("CFBundleVersion")),
                str(info.get("CFBundleShortVersionString")), str(info.get("CFBundleExecutable")),
                facts.infoPlistPath(), facts.infoPlistFormat(), plistText);
        Finding.Executable exe = null;
        BundleInspector.BundleFile ef = facts.executable();
        if (ef != null && ef.digests() != null) {
            exe = new Finding.Executable(ef.entry().path(), ef.digests().size(), ef.digests().md5(), ef.digests().sha1(),
                    ef.digests().sha256(), ef.entry().evidencePath().toString(), machO);
        }
        List<Finding.FileHash> files = new ArrayList<>();
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
        List<String> attackSorted = new ArrayList<>(attack);
        attackSorted.sort(String::compareTo);
        return new Finding(id, rule.id(), rule.title(), rule.severity(), verdict, reasons, attackSorted, b.path(),
                evidence, b.evidencePath().toString(), bundle, exe, files, BundleInspectorTimes.of(b), codeSignature,
                timeline, notes);
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

    /** Bundle folder times as strings. */
    static final class BundleInspectorTimes {
        static Map<String, String> of(FileEntry e) {
            return new LinkedHashMap<>(BundleInspector.times(e));
        }
    }
}
