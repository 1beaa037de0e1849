package io.vestige.cli;

import io.vestige.analysis.Analysis;
import io.vestige.analysis.Progress;
import io.vestige.analysis.ReportOutput;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.scenario.DemoImage;
import io.vestige.hunt.Profiles;
import io.vestige.reports.Report;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vestige demo}: synthesizes the built-in demo case, analyzes it and writes the report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Synthesize the built-in demo case (an E01 of a Mac's GPT disk with an APFS container, and a unified-log"
                + " export) in which several app bundles ran from temporary locations, analyze it and write the report.",
            "Writes OUT/evidence/ (the synthesized evidence and the demo PKI's root certificate) and the report files"
                + " in OUT. The demo PKI root is passed as a user-supplied trust anchor, and labelled so in the report."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-out");

    @Option(names = "--reproducible", description = "Fix the generation time so that two runs give identical bytes.")
    boolean reproducible;

    @Mixin
    OpenMixin open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Cli.prepareOutput(out);
        Path evidenceDir = out.resolve("evidence");
        DemoImage.Written w = DemoImage.write(evidenceDir);
        X509Certificate anchor;
        try (InputStream in = Files.newInputStream(w.trustAnchor())) {
            anchor = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Analysis.Options opts = new Analysis.Options(List.of(w.e01().get(0), w.logExport()),
                new Report.CaseInfo("DEMO-0001", "Vestige demo", "Vestige", "Synthesized demo case: no real Cisco binary is involved"),
                reproducible, open.options(), Profiles.builtIn(), 20_000, List.of(anchor), "auto",
                io.vestige.hashsets.HashSets.empty(), java.time.ZoneId.of("UTC"));
        Analysis analysis = new Analysis(opts, ProbeRegistry.standard(), Progress.terminal());
        Report report = analysis.run(Version.toolInfo());
        ReportOutput.write(report, analysis.bodyfile(), out, null);
        o.println("Demo evidence: " + evidenceDir);
        AnalyzeCommand.summarize(o, report, out);
        return ExitCodes.OK;
    }
}
