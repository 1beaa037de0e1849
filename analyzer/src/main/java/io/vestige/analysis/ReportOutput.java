package io.vestige.analysis;

import io.vestige.reports.HtmlReportWriter;
import io.vestige.reports.JsonReportWriter;
import io.vestige.reports.Report;
import io.vestige.reports.TimelineWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report's files into an output folder. Each file is written to a temporary name in the
 * same folder and renamed into place, so an interrupted run never leaves a half-written report.
 * Only fixed file names inside the folder are ever written.
 */
public final class ReportOutput {
    private ReportOutput() {
    }

    /** An output file producer. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        atomic(dir.resolve("report.json"), out -> new JsonReportWriter().write(report, out));
        atomic(dir.resolve("timeline.jsonl"), out -> new TimelineWriter().writeTimesketch(report.timeline(), out));
        atomic(dir.resolve("timeline.csv"), out -> new TimelineWriter().writeCsv(report.timeline(), out));
        atomic(dir.resolve("report.html"), out -> new HtmlReportWriter().write(report, out));
    }

    public static void atomic(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            body.write(out);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Tool facts for the report cover. */
    public static Report.ToolInfo toolInfo(String version, String commit, java.util.Map<String, String> deps) {
        return new Report.ToolInfo("vestige", version, commit, "Java " + Runtime.version().feature(), deps);
    }
}
