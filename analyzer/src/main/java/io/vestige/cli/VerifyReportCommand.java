package io.vestige.cli;

import io.vestige.analysis.Manifest;
import io.vestige.analysis.ManifestSigner;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vestige verify-report}: checks a report folder against its manifest and signature. */
@Command(name = "verify-report", mixinStandardHelpOptions = true,
        description = {"Check that a report folder is unaltered: every file's SHA-256 against manifest.json, and the"
                + " examiner's detached CMS signature manifest.json.p7s when present.",
            "Exit 0: intact (and signature valid if present); 1: altered or bad signature; 2: intact but unsigned and --require-signature."})
public final class VerifyReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--signer", paramLabel = "CERT", description = "The examiner's certificate (PEM or DER); the signature must be by it.")
    Path signer;

    @Option(names = "--require-signature", description = "Fail (exit 2) when the manifest is not signed.")
    boolean requireSignature;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a report folder");
        }
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            throw new java.nio.file.NoSuchFileException(dir.resolve(Manifest.FILE).toString(), null,
                    "not a Vestige report folder: manifest.json is missing");
        }
        List<String> problems = Manifest.check(dir);
        X509Certificate expected = null;
        if (signer != null) {
            try (InputStream in = Files.newInputStream(signer)) {
                expected = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        }
        ManifestSigner.Check sig = Files.isRegularFile(dir.resolve(Manifest.FILE)) ? ManifestSigner.verify(dir, expected)
                : new ManifestSigner.Check(false, false, null, null, null);
        int code;
        if (!problems.isEmpty() || (sig.present() && !sig.valid())) {
            code = ExitCodes.NEGATIVE;
        } else if (!sig.present() && (requireSignature || signer != null)) {
            code = ExitCodes.NOT_DETERMINABLE;
        } else {
            code = ExitCodes.OK;
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("intact", problems.isEmpty());
            m.put("problems", problems);
            m.put("signed", sig.present());
            m.put("signatureValid", sig.present() ? sig.valid() : null);
            m.put("signer", sig.signerSubject());
            m.put("signerCertificateSha256", sig.signerSha256());
            m.put("signatureProblem", sig.problem());
            out.println(Cli.json().writerWithDefaultPrettyPrinter().writeValueAsString(m));
        } else {
            out.println(problems.isEmpty() ? "Files: intact (every SHA-256 matches manifest.json)" : "Files: ALTERED");
            problems.forEach(p -> out.println("  " + p));
            if (!sig.present()) {
                out.println("Signature: none (manifest.json.p7s absent)");
            } else if (sig.valid()) {
                out.println("Signature: valid, signed by " + sig.signerSubject() + " (certificate SHA-256 " + sig.signerSha256() + ")");
            } else {
                out.println("Signature: INVALID: " + sig.problem());
            }
        }
        out.flush();
        return code;
    }
}
