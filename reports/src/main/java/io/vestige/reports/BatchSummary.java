package io.vestige.reports;

import java.util.List;
import java.util.Map;

/**
 * The summary of a batch: one row per item with its status, duration, verdict counts and a link to
 * its report, plus totals.
 */
public record BatchSummary(String schema, String generatedAt, List<Row> items, Map<String, Object> totals) {
    public static final String SCHEMA = "vestige-batch/1";

    public BatchSummary {
        items = List.copyOf(items);
        totals = Maps.sorted(totals);
    }

    public record Row(String id, List<String> evidence, String status, String reason, int exitCode, long durationMs,
                      int findings, Map<String, Integer> verdicts, String report) {
        public Row {
            evidence = List.copyOf(evidence);
            verdicts = new java.util.TreeMap<>(verdicts);
        }
    }

    /** CSS class of a status badge. */
    public static String statusClass(String status) {
        return switch (status) {
            case "ok" -> "v-ok";
            case "no-file-system" -> "v-warn";
            default -> "v-bad";
        };
    }
}
