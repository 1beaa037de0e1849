package io.vestige.cli;

import io.vestige.evidence.OpenOptions;
import io.vestige.format.tsk.CrossCheck;
import io.vestige.reports.EvidenceItem;
import io.vestige.reports.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code --cross-check tsk} for {@code analyze} and puts the outcome into the report. */
final class CrossChecks {
    private CrossChecks() {
    }

    static Report attach(Report report, String engine, List<Path> evidence, OpenOptions options) throws IOException {
        if (!engine.equals("tsk")) {
            throw new IllegalArgumentException("--cross-check takes tsk, not " + engine);
        }
        List<EvidenceItem> items = new ArrayList<>();
        List<Report.AuditEntry> audit = new ArrayList<>(report.audit());
        List<String> examined = new ArrayList<>(report.scope().examined());
        Map<String, Object> counters = new LinkedHashMap<>(report.scope().counters());
        for (int i = 0; i < report.evidence().size(); i++) {
            EvidenceItem it = report.evidence().get(i);
            Path p = i < evidence.size() ? evidence.get(i) : null;
            if (p == null || "log-export".equals(it.container().get("format"))) {
                items.add(it);
                continue;
            }
            CrossCheckCommand.Outcome oc = CrossCheckCommand.compare(p, options, CrossCheck.Options.defaults(), null);
            Map<String, Object> container = new LinkedHashMap<>(it.container());
            Map<String, Object> cc = new LinkedHashMap<>();
            cc.put("engine", "The Sleuth Kit " + oc.libtsk());
            cc.put("results", oc.results());
            cc.put("notes", oc.notes());
            cc.put("consistent", oc.anyCompared() && !oc.anyUnexplained());
            container.put("crossCheck", cc);
            items.add(new EvidenceItem(it.name(), it.files(), container, it.partitions(), it.fileSystems(), it.mediaHashes(),
                    it.diagnostics()));
            for (String s : oc.summaries()) {
                audit.add(new Report.AuditEntry("cross-check", it.name() + " " + s));
                examined.add("Cross-check of " + it.name() + " with The Sleuth Kit " + oc.libtsk() + ": " + s);
            }
            for (String n : oc.notes()) {
                audit.add(new Report.AuditEntry("cross-check", it.name() + ": " + n));
            }
            counters.put("crossCheckConsistent " + it.name(), oc.anyCompared() && !oc.anyUnexplained());
        }
        Report.Scope scope = new Report.Scope(examined, report.scope().notExamined(), report.scope().limitations(), counters);
        return new Report(report.schema(), report.tool(), report.generatedAt(), report.caseInfo(), items, report.findings(),
                report.timeline(), scope, audit, report.config(), report.displayZone());
    }
}
