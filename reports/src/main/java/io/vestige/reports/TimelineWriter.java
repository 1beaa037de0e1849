package io.vestige.reports;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes timeline events for other tools: Timesketch JSONL (one object per line with
 * {@code message}, {@code datetime}, {@code timestamp_desc}, {@code timestamp} in microseconds, plus
 * the attributes) and CSV (RFC 4180 quoting).
 */
public final class TimelineWriter {

    public void writeTimesketch(List<TimelineEvent> events, OutputStream out) throws IOException {
        ObjectWriter w = JsonReportWriter.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        for (TimelineEvent e : events) {
            out.write(w.writeValueAsBytes(timesketch(e)));
            out.write('\n');
        }
        out.flush();
    }

    /** One Timesketch row; attribute names that collide with the required fields are prefixed. */
    public static Map<String, Object> timesketch(TimelineEvent e) {
        Map<String, Object> m = new TreeMap<>();
        e.attributes().forEach((k, v) -> m.put("attr_" + k, v));
        m.put("message", e.message());
        m.put("datetime", e.timestamp());
        m.put("timestamp", Math.floorDiv(e.epochNanos(), 1000L));
        m.put("timestamp_desc", e.timestampDesc());
        m.put("data_type", "vestige:" + e.source().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "").toLowerCase(java.util.Locale.ROOT));
        m.put("source", e.source());
        m.put("precision", e.precision());
        if (e.path() != null) {
            m.put("path", e.path());
        }
        m.put("evidence_path", e.evidencePath());
        return m;
    }

    public void writeCsv(List<TimelineEvent> events, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("datetime,timestamp_desc,source,message,path,evidence_path,precision\r\n");
        for (TimelineEvent e : events) {
            w.write(String.join(",", csv(e.timestamp()), csv(e.timestampDesc()), csv(e.source()), csv(e.message()),
                    csv(e.path()), csv(e.evidencePath()), csv(e.precision())));
            w.write("\r\n");
        }
        w.flush();
    }

    /** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
