package io.vestige.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Display helpers for the HTML template: counts, CSS classes and the geometry of the SVG time chart.
 * Only presentation is computed here; every fact comes from the {@link Report}.
 */
public final class HtmlView {
    private final Report report;
    private final java.time.ZoneId zone;

    public HtmlView(Report report) {
        this.report = report;
        java.time.ZoneId z;
        try {
            z = java.time.ZoneId.of(report.displayZone());
        } catch (java.time.DateTimeException e) {
            z = java.time.ZoneOffset.UTC;
        }
        this.zone = z;
    }

    /** The zone times are shown in, as named on the command line. */
    public String zoneName() {
        return zone.getId().equals("Z") ? "UTC" : zone.getId();
    }

    private static final java.time.format.DateTimeFormatter SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", java.util.Locale.ROOT);

    /**
     * An ISO-8601 UTC timestamp from the report shown in the display zone with its offset, keeping the
     * fraction digits the source has ({@code 2024-06-03 11:14:07.123456789 +02:00}); text that is not
     * an ISO instant is shown unchanged.
     */
    public String time(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "\u2014";
        }
        java.time.Instant t;
        try {
            t = java.time.Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
        int digits = 0;
        int dot = iso.indexOf('.');
        if (dot >= 0) {
            while (dot + 1 + digits < iso.length() && Character.isDigit(iso.charAt(dot + 1 + digits))) {
                digits++;
            }
        }
        java.time.ZonedDateTime z = t.atZone(zone);
        StringBuilder sb = new StringBuilder(SECONDS.format(z));
        if (digits > 0) {
            String nanos = String.format(java.util.Locale.ROOT, "%09d", z.getNano());
            sb.append('.').append(nanos, 0, Math.min(9, digits));
        }
        String off = z.getOffset().getId();
        sb.append(' ').append(off.equals("Z") ? "+00:00" : off);
        return sb.toString();
    }

    public Report report() {
        return report;
    }

    /** Findings per verdict, in severity order. */
    public Map<String, Integer> verdictCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String v : List.of("malicious-indicators", "suspicious", "undetermined", "consistent-with-legitimate")) {
            m.put(v, 0);
        }
        for (Finding f : report.findings()) {
            String v = f.verdict() == null ? "not-assessed" : f.verdict();
            m.merge(v, 1, Integer::sum);
        }
        m.values().removeIf(c -> c == 0);
        return m;
    }

    /** CSS class for a verdict badge. */
    public static String verdictClass(String verdict) {
        if (verdict == null) {
            return "v-none";
        }
        return switch (verdict) {
            case "malicious-indicators" -> "v-bad";
            case "suspicious" -> "v-warn";
            case "consistent-with-legitimate" -> "v-ok";
            default -> "v-none";
        };
    }

    public static String orDash(Object o) {
        return o == null || String.valueOf(o).isEmpty() ? "\u2014" : String.valueOf(o);
    }

    /** Renders a JSON-like value (maps, lists, scalars) as compact readable text. */
    public static String text(Object o) {
        if (o == null) {
            return "\u2014";
        }
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            new TreeMap<>(stringKeys(m)).forEach((k, v) -> {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(k).append(": ").append(text(v));
            });
            return sb.toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object x : l) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(text(x));
            }
            return sb.toString();
        }
        return String.valueOf(o);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> r = new TreeMap<>();
        m.forEach((k, v) -> r.put(String.valueOf(k), v));
        return r;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CONVERT = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules();

    /** One labelled line of the code-signature summary. */
    public record Row(String label, String value) {
    }

    /**
     * The facts of a code-signature result that a reader needs (verdict, problems, identity, chain,
     * anchor, times, bundle seal, notarization), one line each; the full result is in report.json.
     */
    @SuppressWarnings("unchecked")
    public static List<Row> signature(Object cs) {
        List<Row> rows = new ArrayList<>();
        if (cs == null) {
            return rows;
        }
        Map<String, Object> m;
        try {
            m = CONVERT.convertValue(cs, Map.class);
        } catch (IllegalArgumentException e) {
            rows.add(new Row("Result", String.valueOf(cs)));
            return rows;
        }
        rows.add(new Row("Verdict", orDash(m.get("verdict"))));
        List<Object> problems = (List<Object>) m.getOrDefault("problems", List.of());
        if (!problems.isEmpty()) {
            List<String> ps = new ArrayList<>();
            for (Object p : problems) {
                if (p instanceof Map<?, ?> pm) {
                    ps.add(pm.get("type") + ": " + pm.get("message") + (pm.get("where") == null || "".equals(pm.get("where")) ? "" : " [" + pm.get("where") + "]"));
                } else {
                    ps.add(String.valueOf(p));
                }
            }
            rows.add(new Row("Problems", String.join("; ", ps)));
        }
        for (Object o : (List<Object>) m.getOrDefault("slices", List.of())) {
            if (!(o instanceof Map<?, ?> sl)) {
                continue;
            }
            String arch = String.valueOf(sl.get("arch"));
            rows.add(new Row("Slice " + arch, "identifier " + orDash(sl.get("identifier")) + ", team " + orDash(sl.get("teamId"))
                    + ", cdhash " + orDash(sl.get("cdhash")) + ", UUID " + orDash(sl.get("uuid"))
                    + (sl.get("flags") instanceof List<?> f && !f.isEmpty() ? ", flags " + text(f) : "")));
            if (sl.get("cms") instanceof Map<?, ?> cms) {
                rows.add(new Row("Signer (" + arch + ")", orDash(cms.get("signerSubject"))));
                rows.add(new Row("Chain (" + arch + ")", text(cms.get("chain"))));
                if (cms.get("anchor") instanceof Map<?, ?> a) {
                    rows.add(new Row("Anchor (" + arch + ")", a.get("kind") + ": " + orDash(a.get("name") != null ? a.get("name") : a.get("subject"))
                            + (a.get("sha256") == null ? "" : " (SHA-256 " + a.get("sha256") + ")")));
                }
                rows.add(new Row("Signing time (" + arch + ")", orDash(cms.get("signingTime"))
                        + (cms.get("timestamp") instanceof Map<?, ?> t ? "; RFC 3161 timestamp " + orDash(t.get("time")) : "")));
            }
        }
        if (m.get("bundle") instanceof Map<?, ?> b) {
            rows.add(new Row("Bundle seal", (Boolean.TRUE.equals(b.get("codeResourcesIntact")) ? "intact" : "BROKEN") + ", "
                    + b.get("filesChecked") + " file(s) checked; modified " + text(b.get("modified")) + "; missing "
                    + text(b.get("missing")) + "; added " + text(b.get("added"))));
        }
        if (m.get("notarization") instanceof Map<?, ?> n) {
            rows.add(new Row("Notarization", orDash(n.get("status")) + (n.get("detail") == null ? "" : " \u2014 " + n.get("detail"))));
        }
        return rows;
    }

    /** A dot of the time chart. */
    public record ChartPoint(double x, double y, String cssClass, String title) {
    }

    /** A labelled lane of the time chart. */
    public record ChartLane(double y, String label) {
    }

    /** A tick on the time axis. */
    public record ChartTick(double x, String label) {
    }

    public static final int CHART_WIDTH = 1000;
    public static final int CHART_LEFT = 170;
    public static final int LANE_HEIGHT = 22;

    public List<String> chartSources() {
        List<String> s = new ArrayList<>();
        for (TimelineEvent e : report.timeline()) {
            if (!s.contains(e.source())) {
                s.add(e.source());
            }
        }
        s.sort(String::compareTo);
        return s;
    }

    public int chartHeight() {
        return 40 + LANE_HEIGHT * Math.max(1, chartSources().size());
    }

    public List<ChartLane> chartLanes() {
        List<ChartLane> lanes = new ArrayList<>();
        List<String> src = chartSources();
        for (int i = 0; i < src.size(); i++) {
            lanes.add(new ChartLane(20 + i * LANE_HEIGHT + LANE_HEIGHT / 2.0, src.get(i)));
        }
        return lanes;
    }

    public List<ChartPoint> chartPoints() {
        List<ChartPoint> pts = new ArrayList<>();
        List<TimelineEvent> tl = report.timeline();
        if (tl.isEmpty()) {
            return pts;
        }
        long min = tl.stream().mapToLong(TimelineEvent::epochNanos).min().orElse(0);
        long max = tl.stream().mapToLong(TimelineEvent::epochNanos).max().orElse(0);
        double span = Math.max(1, (double) max - min);
        List<String> src = chartSources();
        for (TimelineEvent e : tl) {
            double x = CHART_LEFT + (CHART_WIDTH - CHART_LEFT - 20) * ((e.epochNanos() - min) / span);
            double y = 20 + src.indexOf(e.source()) * LANE_HEIGHT + LANE_HEIGHT / 2.0;
            pts.add(new ChartPoint(Math.round(x * 10) / 10.0, y, "src" + (src.indexOf(e.source()) % 8),
                    time(e.timestamp()) + " " + e.timestampDesc() + ": " + e.message()));
        }
        return pts;
    }

    public List<ChartTick> chartTicks() {
        List<ChartTick> ticks = new ArrayList<>();
        List<TimelineEvent> tl = report.timeline();
        if (tl.isEmpty()) {
            return ticks;
        }
        TimelineEvent first = tl.stream().min(java.util.Comparator.comparingLong(TimelineEvent::epochNanos)).get();
        TimelineEvent last = tl.stream().max(java.util.Comparator.comparingLong(TimelineEvent::epochNanos)).get();
        ticks.add(new ChartTick(CHART_LEFT, time(first.timestamp())));
        if (last.epochNanos() != first.epochNanos()) {
            ticks.add(new ChartTick(CHART_WIDTH - 20, time(last.timestamp())));
        }
        return ticks;
    }
}
