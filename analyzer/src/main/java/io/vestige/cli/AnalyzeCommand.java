package io.vestige.cli;

import io.vestige.analysis.Analysis;
import io.vestige.analysis.Progress;
import io.vestige.analysis.ReportOutput;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.reports.Finding;
import io.vestige.reports.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vestige analyze}: the hunt over one or more evidence items, written as a report. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Hunt for app bundles run from temporary locations and write a report.",
            "Writes OUT/report.html (self-contained), OUT/report.json and OUT/timeline.jsonl. Nothing is written"
                + " anywhere else; evidence is opened read-only."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "EVIDENCE", description = "Evidence files or folders (E01, DMG, raw, tar, zip, folder …).")
    List<Path> evidence;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--case", paramLabel = "TEXT", description = "Case number for the report cover.")
    String caseNumber;

    @Option(names = "--examiner", paramLabel = "TEXT", description = "Examiner's name.")
    String examiner;

    @Option(names = "--organisation", paramLabel = "TEXT", description = "Examiner's organisation.")
    String organisation;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Free-text notes for the cover.")
    String notes;

    @Option(names = "--reproducible", description = "Fix the generation time (SOURCE_DATE_EPOCH or 1970-01-01) so that the same evidence gives byte-identical output.")
    boolean reproducible;

    @Option(names = "--max-bundle-files", paramLabel = "N", description = "Files hashed per bundle at most (default ${DEFAULT-VALUE}).")
    int maxBundleFiles = 20_000;

    @Option(names = "--sign-key", paramLabel = "FILE.p12", description = "Sign manifest.json with the examiner's key (PKCS#12); writes manifest.json.p7s.")
    Path signKey;

    @Option(names = "--sign-password-file", paramLabel = "FILE", description = "Password of the PKCS#12 file (first line); asked for on the terminal when absent.")
    Path signPasswordFile;

    @Option(names = "--profile", paramLabel = "FILE", description = "Add expected-identity profiles (vestige-profiles/1 JSON); same id replaces a built-in rule.")
    List<Path> profiles = new java.util.ArrayList<>();

    @Option(names = "--trust-anchor", paramLabel = "CERT", description = "Also trust this root certificate (PEM/DER) for code signatures; results verified with it are labelled user-supplied.")
    List<Path> trustAnchorFiles = new java.util.ArrayList<>();

    @Option(names = "--cross-check", paramLabel = "ENGINE", description = "Compare Vestige's file-system listings, metadata and content hashes with another engine (tsk) and put the result in the report.")
    String crossCheck;

    @Option(names = "--media-hash", paramLabel = "WHEN", description = "Hash the media (MD5, SHA-1, SHA-256) and compare with the stored hashes: auto (when the container stores any; default), always, never.")
    String mediaHash = "auto";

    @Option(names = "--known-good", paramLabel = "FILE.csv", description = "Known-good hash list (CSV with a sha256/sha1/md5 header, or one hex hash per line); repeatable. A hit on the main executable is information only.")
    List<Path> knownGood = new java.util.ArrayList<>();

    @Option(names = "--known-bad", paramLabel = "FILE.csv", description = "Known-bad hash list (same forms as --known-good); repeatable. A hit on any bundle file gives the verdict malicious-indicators.")
    List<Path> knownBad = new java.util.ArrayList<>();

    @Option(names = "--nsrl", paramLabel = "RDSv3.db", description = "NIST NSRL RDSv3 SQLite database, opened read-only; repeatable. A hit on the main executable is information only.")
    List<Path> nsrl = new java.util.ArrayList<>();

    @Option(names = "--timezone", paramLabel = "ZONE", converter = ZoneConverter.class,
            description = "Time zone for times shown in report.html (e.g. Europe/Berlin; default UTC). JSON, JSONL and CSV stay in UTC.")
    java.time.ZoneId timezone = java.time.ZoneId.of("UTC");

    /** Rejects unknown zone ids as a usage error. */
    static final class ZoneConverter implements CommandLine.ITypeConverter<java.time.ZoneId> {
        @Override
        public java.time.ZoneId convert(String value) {
            try {
                return value.equalsIgnoreCase("UTC") || value.equals("Z") ? java.time.ZoneId.of("UTC") : java.time.ZoneId.of(value);
            } catch (java.time.DateTimeException e) {
                throw new CommandLine.TypeConversionException("unknown time zone '" + value
                        + "' (use a region id such as Europe/Berlin, or UTC, or an offset such as +02:00)");
            }
        }
    }

    @Mixin
    OpenMixin open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Cli.prepareOutput(out);
        evidence = expandCaseFolders(evidence, spec.commandLine().getErr());
        io.vestige.hashsets.HashSets loaded;
        try {
            loaded = io.vestige.hashsets.HashSets.load(knownGood, knownBad, nsrl);
        } catch (io.vestige.hashsets.HashSetException e) {
            // A malformed hash set is a data error in an input the examiner supplied, not damaged evidence.
            PrintWriter err = spec.commandLine().getErr();
            err.println("vestige: error: " + e.getMessage().replace('\n', ' '));
            err.println("vestige: fix the hash-set file named above (see 'vestige analyze --help' for the accepted forms)");
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        try (io.vestige.hashsets.HashSets sets = loaded) {
            Analysis.Options opts = new Analysis.Options(evidence,
                    new Report.CaseInfo(caseNumber, examiner, organisation, notes), reproducible, open.options(),
                    io.vestige.hunt.Profiles.withUserFiles(profiles), maxBundleFiles, trustAnchors(), mediaHash,
                    sets, timezone);
            Analysis analysis = new Analysis(opts, OpenMixin.registry(opts.open()), Progress.terminal());
            Report report = analysis.run(Version.toolInfo());
            if (crossCheck != null) {
                report = CrossChecks.attach(report, crossCheck, evidence, opts.open());
            }
            ReportOutput.write(report, analysis.bodyfile(), out, signing());
            summarize(o, report, out);
            return ExitCodes.OK;
        }
    }

    /**
     * A folder that holds only evidence files (mac.E01, unified-log.ndjson …) is a case folder, not a
     * host's file tree: its files are analyzed as the evidence items they are.
     */
    static List<Path> expandCaseFolders(List<Path> evidence, PrintWriter err) throws java.io.IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (Path p : evidence) {
            List<io.vestige.batch.BatchItem> inner = java.nio.file.Files.isDirectory(p)
                    ? io.vestige.batch.ItemDetector.evidenceFolder(p) : null;
            if (inner == null) {
                out.add(p);
                continue;
            }
            for (io.vestige.batch.BatchItem i : inner) {
                out.addAll(i.evidence());
            }
            err.println("vestige: " + p + " holds evidence files; analyzing " + out.size() + " item(s) from it");
        }
        return out;
    }

    List<java.security.cert.X509Certificate> trustAnchors() throws Exception {
        List<java.security.cert.X509Certificate> out = new java.util.ArrayList<>();
        java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
        for (Path p : trustAnchorFiles) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
                for (java.security.cert.Certificate c : cf.generateCertificates(in)) {
                    out.add((java.security.cert.X509Certificate) c);
                }
            }
        }
        return out;
    }

    ReportOutput.Signing signing() throws java.io.IOException {
        if (signKey == null) {
            return null;
        }
        char[] pw;
        if (signPasswordFile != null) {
            List<String> lines = java.nio.file.Files.readAllLines(signPasswordFile);
            pw = lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
        } else if (System.console() != null) {
            pw = System.console().readPassword("Password for %s: ", signKey);
        } else {
            throw new IllegalArgumentException("--sign-key needs --sign-password-file when there is no terminal");
        }
        return new ReportOutput.Signing(signKey, pw);
    }

    static void summarize(PrintWriter o, Report report, Path out) {
        o.println("Analyzed " + report.evidence().size() + " evidence item(s); " + report.findings().size() + " finding(s).");
        for (Finding f : report.findings()) {
            o.println(String.format("  %s %-8s %-28s %s", f.id(), f.rule(), f.verdict() == null ? "-" : f.verdict(), f.bundlePath()));
        }
        o.println("Report: " + out.resolve("report.html"));
        o.flush();
    }
}
