package io.vestige.reports;

import java.util.List;
import java.util.Map;

/**
 * Everything one analysis run says, as plain immutable data: who ran what on which evidence, what
 * was found, and how each statement can be traced back to bytes. The JSON and HTML writers render
 * exactly this object; nothing in a report is computed by a writer.
 *
 * @param schema      schema identifier, {@code vestige-report/1}
 * @param tool        tool name, version, build commit, dependency versions
 * @param generatedAt generation time (ISO-8601 UTC), fixed under {@code --reproducible}
 * @param caseInfo    case number, examiner, organisation, notes as given on the command line
 * @param evidence    every evidence item with its hashes, container facts and file systems
 * @param findings    one per app bundle found, sorted by bundle path
 * @param timeline    events from every source, sorted by time
 * @param scope       what was examined and what was not, completeness counters, limitations
 * @param audit       the steps of the run, in order
 * @param config      the configuration in force (limits, rules, options)
 * @param displayZone the time zone the HTML report shows times in ({@code UTC} by default); every
 *                    data file (JSON, JSONL, CSV, bodyfile) stays in UTC
 */
public record Report(String schema, ToolInfo tool, String generatedAt, CaseInfo caseInfo,
                     List<EvidenceItem> evidence, List<Finding> findings, List<TimelineEvent> timeline,
                     Scope scope, List<AuditEntry> audit, Map<String, Object> config, String displayZone) {
    public static final String SCHEMA = "vestige-report/1";

    public Report {
        displayZone = displayZone == null ? "UTC" : displayZone;
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
        timeline = List.copyOf(timeline);
        audit = List.copyOf(audit);
        config = Maps.sorted(config);
    }

    public record ToolInfo(String name, String version, String commit, String java, Map<String, String> dependencies) {
        public ToolInfo {
            dependencies = Maps.sortedStrings(dependencies);
        }
    }

    public record CaseInfo(String caseNumber, String examiner, String organisation, String notes) {
    }

    /** One step of the run, for the audit appendix. */
    public record AuditEntry(String step, String detail) {
    }

    /** What was and was not examined. */
    public record Scope(List<String> examined, List<String> notExamined, List<String> limitations,
                        Map<String, Object> counters) {
        public Scope {
            examined = List.copyOf(examined);
            notExamined = List.copyOf(notExamined);
            limitations = List.copyOf(limitations);
            counters = Maps.sorted(counters);
        }
    }
}
