package io.vestige.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vestige.analysis.ReportOutput;
import io.vestige.reports.BatchIndexWriter;
import io.vestige.reports.BatchSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a batch's {@code summary.json}, {@code index.html} and combined {@code timeline.jsonl} from
 * the item records under {@code items/}, so a single run and a merge of shards give the same summary.
 */
public final class SummaryWriter {
    private SummaryWriter() {
    }

    public static BatchSummary write(Path out, boolean reproducible) throws IOException {
        List<ItemResult> results = BatchRunner.recorded(out);
        List<BatchSummary.Row> rows = new ArrayList<>();
        Map<String, Object> totals = new TreeMap<>();
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        int findings = 0;
        for (ItemResult r : results) {
            rows.add(new BatchSummary.Row(r.id(), r.evidence(), r.status(), r.reason(), r.exitCode(), r.durationMs(),
                    r.findings(), r.verdicts(), r.report()));
            byStatus.merge(r.status(), 1, Integer::sum);
            r.verdicts().forEach((k, v) -> verdicts.merge(k, v, Integer::sum));
            findings += r.findings();
        }
        totals.put("items", results.size());
        totals.put("status", byStatus);
        totals.put("findings", findings);
        totals.put("verdicts", verdicts);
        String when = reproducible ? Instant.EPOCH.toString() : Instant.now().toString();
        BatchSummary s = new BatchSummary(BatchSummary.SCHEMA, when, rows, totals);
        ReportOutput.atomic(out.resolve("summary.json"), o -> {
            BatchRunner.JSON.writerWithDefaultPrettyPrinter().writeValue(o, s);
            o.write('\n');
        });
        ReportOutput.atomic(out.resolve("index.html"), o -> new BatchIndexWriter().write(s, o));
        ReportOutput.atomic(out.resolve("timeline.jsonl"), o -> {
            for (ItemResult r : results) {
                Path tl = out.resolve("items").resolve(r.id()).resolve("timeline.jsonl");
                if (!Files.isRegularFile(tl)) {
                    continue;
                }
                try (BufferedReader in = Files.newBufferedReader(tl, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode n = BatchRunner.JSON.readTree(line);
                        if (n instanceof ObjectNode on) {
                            on.put("batch_item", r.id());
                            o.write(BatchRunner.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsBytes(on));
                            o.write('\n');
                        }
                    }
                }
            }
        });
        return s;
    }
}
