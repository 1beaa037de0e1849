package io.vestige.cli;

import io.vestige.codesign.CodeSignResult;
import io.vestige.codesign.CodeSignatureVerifier;
import io.vestige.codesign.Problem;
import io.vestige.codesign.Verdict;
import io.vestige.codesign.VerifyOptions;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vestige codesign PATH}: verifies an Apple code signature offline (a Mach-O file, every
 * slice, or a bundle with its resources and nested code) and explains the verdict.
 */
@Command(name = "codesign", mixinStandardHelpOptions = true,
        description = {"Verify Apple code signatures offline: a Mach-O file or a bundle on disk, or EVIDENCE::PATH inside evidence.",
            "Verdicts: valid, invalid (with reasons), unsigned, adhoc, untrusted-anchor."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "1:invalid, untrusted anchor or ad hoc (no signer identity)", "2:unsigned"})
public final class CodesignCommand implements Callable<Integer> {
    static final List<String> CAVEATS = List.of(
            "revocation (OCSP/CRL) cannot be checked offline",
            "notarization status is only known online; a stapled ticket is reported but its Apple signature is not verified",
            "trust anchors are Apple Root CA, G2 and G3 pinned by SHA-256; --trust-anchor certificates are labelled user-supplied",
            "a stapled ticket and nested-code requirement strings are reported, not evaluated");

    @Parameters(index = "0", paramLabel = "PATH", description = "File or bundle folder, or EVIDENCE::PATH inside evidence")
    String path;

    @Option(names = "--json", description = "Print the full result as JSON")
    boolean json;

    @Option(names = "--trust-anchor", paramLabel = "CERT", description = "Extra trust anchor (PEM or DER); repeatable")
    List<Path> trustAnchors = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VerifyOptions opts = VerifyOptions.defaults().withTrustAnchors(loadAnchors(trustAnchors));
        CodeSignResult r = verify(path, opts);
        if (r.kind().equals("folder")) {
            // nothing to verify: an examiner pointed at the wrong folder, not at unsigned code
            throw new IllegalArgumentException(path + " is a folder but not a bundle: no Info.plist or executable");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Cli.json().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            print(r, out, "");
            out.println("caveats:");
            for (String c : CAVEATS) {
                out.println("  - " + c);
            }
        }
        out.flush();
        return exitCode(r.verdict());
    }

    static int exitCode(Verdict v) {
        return switch (v) {
            case VALID -> ExitCodes.OK;
            case UNSIGNED -> ExitCodes.NOT_DETERMINABLE;
            default -> ExitCodes.NEGATIVE;
        };
    }

    static CodeSignResult verify(String path, VerifyOptions opts) throws IOException {
        int sep = path.indexOf("::");
        if (sep > 0) {
            String evidence = path.substring(0, sep);
            String inner = path.substring(sep + 2);
            try (OpenedEvidence ev = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).open(Path.of(evidence))) {
                for (FileSystem fs : ev.fileSystems()) {
                    FileEntry e = fs.lookup(inner);
                    if (e != null) {
                        return CodeSignatureVerifier.verify(fs, inner, opts);
                    }
                }
            }
            throw new NoSuchFileException(path, null, "not found in any file system of the evidence");
        }
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new NoSuchFileException(path);
        }
        if (Files.isDirectory(p) && p.getParent() != null) {
            // open the folder holding the bundle so that results name the bundle ("/X.app")
            return CodeSignatureVerifier.verify(DirectoryFileSystem.of(p.getParent()), "/" + p.getFileName(), opts);
        }
        if (Files.isDirectory(p)) {
            return CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(p).root(), opts);
        }
        // the main executable of a bundle is verified with its bundle (Info.plist, resources)
        Path macos = p.getParent();
        if (macos != null && macos.getFileName() != null && macos.getFileName().toString().equals("MacOS")
                && macos.getParent() != null && macos.getParent().getFileName().toString().equals("Contents")
                && macos.getParent().getParent() != null && macos.getParent().getParent().getParent() != null) {
            Path holder = macos.getParent().getParent().getParent();
            DirectoryFileSystem fs = DirectoryFileSystem.of(holder);
            return CodeSignatureVerifier.verify(fs, "/" + holder.relativize(p).toString().replace('\\', '/'), opts);
        }
        try (ByteSource src = ByteSources.open(p)) {
            return CodeSignatureVerifier.verifyFile(src, path, opts);
        }
    }

    static List<X509Certificate> loadAnchors(List<Path> files) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    out.add((X509Certificate) c);
                }
            } catch (CertificateException e) {
                throw new IllegalArgumentException("--trust-anchor " + f + " is not a PEM or DER certificate: " + e.getMessage());
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("--trust-anchor " + f + " holds no certificate");
            }
        }
        return out;
    }

    static void print(CodeSignResult r, PrintWriter out, String in) {
        out.println(in + r.path() + ": " + r.verdict());
        out.println(in + "  kind: " + r.kind());
        if (r.identifier() != null) {
            out.println(in + "  identifier: " + r.identifier());
        }
        if (r.teamId() != null) {
            out.println(in + "  team ID: " + r.teamId());
        }
        for (CodeSignResult.SliceResult s : r.slices()) {
            out.println(in + "  slice " + s.arch() + (s.uuid() == null ? "" : " uuid " + s.uuid()) + ": " + s.verdict());
            for (CodeSignResult.CodeDirectoryResult cd : s.codeDirectories()) {
                out.println(in + "    CodeDirectory slot " + cd.slot() + " v" + cd.version() + " " + cd.hashType() + " cdhash "
                        + cd.cdhash() + (cd.flags().isEmpty() ? "" : " flags " + String.join(",", cd.flags()))
                        + (cd.teamId() == null ? "" : " team " + cd.teamId()) + " pages " + (cd.pageHashesValid() ? "ok" : "MISMATCH"));
            }
            if (s.cms() != null) {
                CodeSignResult.CmsResult c = s.cms();
                out.println(in + "    signer: " + c.signerCommonName() + " (O=" + c.organisation() + ", OU=" + c.teamId() + ")");
                out.println(in + "    chain: " + String.join(" > ", c.chain()));
                if (c.anchor() != null) {
                    out.println(in + "    anchor: " + c.anchor().kind() + (c.anchor().name() == null ? "" : " (" + c.anchor().name() + ")")
                            + " sha256 " + c.anchor().sha256());
                }
                if (c.signingTime() != null) {
                    out.println(in + "    signing time: " + c.signingTime() + " (claimed by the signer)");
                }
                if (c.timestamp() != null) {
                    out.println(in + "    timestamp: " + c.timestamp().time() + (c.timestamp().valid() ? " (verified" : " (NOT verified")
                            + ", TSA " + c.timestamp().tsaSubject() + ")");
                }
            } else if (s.signed()) {
                out.println(in + "    signer: none (ad hoc)");
            }
            if (s.designatedRequirement() != null) {
                out.println(in + "    designated requirement: " + s.designatedRequirement()
                        + (s.designatedRequirementSatisfied() == null ? "" : s.designatedRequirementSatisfied() ? " (satisfied)" : " (NOT satisfied)"));
            }
        }
        if (r.bundle() != null) {
            out.println(in + "  resources: " + (r.bundle().codeResourcesIntact() ? "intact" : "NOT intact") + ", "
                    + r.bundle().filesChecked() + " sealed files checked");
        }
        if (r.notarization() != null) {
            out.println(in + "  notarization: " + r.notarization().status());
        }
        if (!r.problems().isEmpty()) {
            out.println(in + "  problems:");
            for (Problem p : r.problems()) {
                out.println(in + "    - " + p);
            }
        }
        for (String n : r.notes()) {
            out.println(in + "  note: " + n);
        }
        for (CodeSignResult n : r.nested()) {
            out.println(in + "  nested:");
            print(n, out, in + "    ");
        }
    }
}
