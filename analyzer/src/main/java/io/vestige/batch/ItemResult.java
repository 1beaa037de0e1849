package io.vestige.batch;

import java.util.List;
import java.util.Map;

/**
 * What happened to one batch item; written as {@code items/<id>/item.json} and read back for
 * resuming and for the summary.
 *
 * @param status    {@code ok}, {@code no-file-system} (opened, nothing readable inside), {@code failed}, {@code timeout}
 * @param reason    one line saying why, for anything but {@code ok}
 * @param inputs    fingerprints (path, size, modified) of the item's files, to detect changed input
 * @param outputs   SHA-256 of each output file, to detect damaged output
 */
public record ItemResult(String id, List<String> evidence, String status, String reason, int exitCode,
                         long durationMs, int findings, Map<String, Integer> verdicts, List<Map<String, Object>> inputs,
                         Map<String, String> outputs, String report) {
    public ItemResult {
        evidence = List.copyOf(evidence);
        verdicts = new java.util.TreeMap<>(verdicts);
        inputs = List.copyOf(inputs);
        outputs = new java.util.TreeMap<>(outputs);
    }
}
