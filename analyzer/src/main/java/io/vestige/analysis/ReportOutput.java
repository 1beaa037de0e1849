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

    /** The report files, in the order they are written; {@code manifest.json} covers all of them. */
    public static final java.util.List<String> FILES = java.util.List.of("report.json", "timeline.jsonl", "timeline.csv",
            "bodyfile.txt", "report.html");

    /** Optional examiner signature of the manifest: a PKCS#12 file and its password. */
    public record Signing(Path pkcs12, char[] password) {
    }

    public static void write(Report report, Path dir) throws IOException {
        write(report, java.util.List.of(), dir, null);
    }

    public static void write(Report report, java.util.List<String> bodyfile, Path dir, Signing signing) throws IOException {
        Files.createDirectories(dir);
        atomic(dir.resolve("report.json"), out -> new JsonReportWriter().write(report, out));
        atomic(dir.resolve("timeline.jsonl"), out -> new TimelineWriter().writeTimesketch(report.timeline(), out));
        atomic(dir.resolve("timeline.csv"), out -> new TimelineWriter().writeCsv(report.timeline(), out));
        atomic(dir.resolve("bodyfile.txt"), out -> {
            for (String line : bodyfile) {
                out.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
        atomic(dir.resolve("report.html"), out -> new HtmlReportWriter().write(report, out));
        byte[] manifest = Manifest.write(dir, FILES, report.generatedAt(), report.tool().name() + " " + report.tool().version());
        if (signing != null) {
            ManifestSigner.sign(dir, manifest, signing.pkcs12(), signing.password());
        } else {
            Files.deleteIfExists(dir.resolve(ManifestSigner.FILE));
        }
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
