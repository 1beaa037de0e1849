package io.vestige.hunt;

import io.vestige.reports.Finding;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a bundle is what its location claims, from its {@link BundleEvidence} and the
 * rule's expected identity. Every reason names what it rests on and maps to ATT&amp;CK.
 *
 * <ul>
 * <li>{@code undetermined}: the executable is gone; only traces remain.</li>
 * <li>{@code malicious-indicators}: a strong contradiction (unsigned, ad-hoc, broken seal, tampered
 *     resources, another team, a download from a foreign host, a bundle file listed in a known-bad hash set).</li>
 * <li>{@code suspicious}: weaker doubts (untrusted anchor, unexpected identifier or parent, no profile).</li>
 * <li>{@code consistent-with-legitimate}: valid signature to a trusted anchor by an expected team, and
 *     no origin evidence disagrees.</li>
 * </ul>
 * A known-good or NSRL listing of the main executable is reported as information and never decides
 * the verdict: those sets say a file is known, not that this copy was used benignly.
 */
public final class VerdictEngine {
    public static final String LEGIT = "consistent-with-legitimate";
    public static final String SUSPICIOUS = "suspicious";
    public static final String MALICIOUS = "malicious-indicators";
    public static final String UNDETERMINED = "undetermined";

    /** The verdict and the reasons for it. */
    public record Result(String verdict, List<Finding.Reason> reasons) {
    }

    private VerdictEngine() {
    }

    public static Result decide(HuntRule rule, BundleEvidence ev) {
        List<Finding.Reason> strong = new ArrayList<>();
        List<Finding.Reason> weak = new ArrayList<>();
        List<Finding.Reason> positive = new ArrayList<>();
        HuntRule.Expected exp = rule.expected();

        if (!ev.present()) {
            List<Finding.Reason> r = new ArrayList<>();
            r.add(reason("BINARY-GONE", "The bundle's executable is not present in the evidence; it is known only from "
                    + "traces, so its signature cannot be verified", "info", List.of(), ev.traces()));
            origins(rule, ev, strong, weak, positive);
            r.addAll(strong);
            r.addAll(weak);
            r.addAll(positive);
            return new Result(strong.isEmpty() ? UNDETERMINED : MALICIOUS, r);
        }

        BundleEvidence.Signature sig = ev.signature();
        String prov = sig == null ? null : sig.provenance();
        if (sig == null) {
            weak.add(reason("SIG-NOT-VERIFIED", "The code signature could not be verified", "weak", List.of("TA0005"), List.of()));
        } else {
            switch (sig.verdict()) {
                // Where a profile expects a signer, no signature contradicts it (strong); for the generic rule
                // it is a doubt only (plenty of legitimate helpers are unsigned or ad-hoc signed).
                case "unsigned" -> (exp != null ? strong : weak).add(reason("SIG-UNSIGNED", "The executable carries no code signature",
                        exp != null ? "strong" : "weak", List.of("TA0005", "T1036.005"), List.of(prov)));
                case "adhoc" -> (exp != null ? strong : weak).add(reason("SIG-ADHOC",
                        "The executable is only ad-hoc signed: no certificate ties it to any developer",
                        exp != null ? "strong" : "weak", List.of("TA0005", "T1036.005"), List.of(prov)));
                case "invalid" -> {
                    String what = sig.problems().isEmpty() ? "the signature does not match the bytes"
                            : String.join("; ", sig.problems().subList(0, Math.min(5, sig.problems().size())));
                    strong.add(reason("SIG-INVALID", "The code signature is broken: " + what, "strong",
                            List.of("TA0005", "T1036.001"), List.of(prov)));
                    if (!sig.modifiedFiles().isEmpty() || !sig.missingFiles().isEmpty() || !sig.addedFiles().isEmpty()) {
                        strong.add(reason("BUNDLE-TAMPERED", "Sealed bundle resources differ from the signature: modified "
                                + sig.modifiedFiles() + ", missing " + sig.missingFiles() + ", added " + sig.addedFiles(),
                                "strong", List.of("TA0005", "T1554"), List.of(prov)));
                    }
                }
                case "untrusted-anchor" -> weak.add(reason("SIG-UNTRUSTED-ANCHOR", "The signature is intact but its certificate chain does not "
                        + "lead to Apple's root" + (sig.anchorName() == null ? "" : " (anchor: " + sig.anchorName() + ")"),
                        "weak", List.of("TA0005", "T1553.002"), List.of(prov)));
                case "valid" -> {
                    if ("user-supplied".equals(sig.anchorKind())) {
                        positive.add(reason("SIG-VALID-USER-ANCHOR", "The signature is valid, verified against a user-supplied trust anchor"
                                + (sig.anchorName() == null ? "" : " (" + sig.anchorName() + ")") + ", not against Apple's root",
                                "info", List.of(), List.of(prov)));
                    } else {
                        positive.add(reason("SIG-VALID", "The signature is valid and chains to Apple's root"
                                + (sig.signerSubject() == null ? "" : "; signer " + sig.signerSubject()), "info", List.of(), List.of(prov)));
                    }
                }
                default -> weak.add(reason("SIG-UNKNOWN", "Unrecognised signature verdict " + sig.verdict(), "weak", List.of(), List.of(prov)));
            }
            boolean signedWithIdentity = sig.verdict().equals("valid") || sig.verdict().equals("untrusted-anchor") || sig.verdict().equals("invalid");
            if (exp != null && signedWithIdentity) {
                String team = sig.certificateTeamId() != null ? sig.certificateTeamId() : sig.teamId();
                if (!exp.teamIds().isEmpty()) {
                    if (team != null && exp.teamIds().contains(team)) {
                        positive.add(reason("TEAM-MATCH", "Signed by team " + team + ", the team expected for " + rule.id(),
                                "info", List.of(), List.of(prov)));
                    } else {
                        strong.add(reason("TEAM-MISMATCH", "Signed by team " + (team == null ? "(none)" : team) + " ("
                                + (sig.organisation() == null ? "unknown organisation" : sig.organisation()) + "), not the expected "
                                + exp.teamIds(), "strong", List.of("TA0005", "T1036.005"), List.of(prov)));
                    }
                }
                if (sig.teamId() != null && sig.certificateTeamId() != null && !sig.teamId().equals(sig.certificateTeamId())) {
                    strong.add(reason("TEAM-DISAGREE", "The CodeDirectory's team " + sig.teamId() + " differs from the certificate's "
                            + sig.certificateTeamId(), "strong", List.of("TA0005", "T1036.001"), List.of(prov)));
                }
                if (!exp.signingIdentifierPrefixes().isEmpty() && sig.identifier() != null
                        && exp.signingIdentifierPrefixes().stream().noneMatch(p -> sig.identifier().startsWith(p))) {
                    weak.add(reason("IDENTIFIER-UNEXPECTED", "Signing identifier " + sig.identifier() + " does not start with "
                            + exp.signingIdentifierPrefixes(), "weak", List.of("T1036.005"), List.of(prov)));
                }
            }
        }
        if (exp != null && !exp.executableNames().isEmpty() && ev.executableName() != null
                && !exp.executableNames().contains(ev.executableName())) {
            weak.add(reason("EXECUTABLE-UNEXPECTED", "Main executable is named " + ev.executableName() + ", expected "
                    + exp.executableNames(), "weak", List.of("T1036.005"), List.of()));
        }
        origins(rule, ev, strong, weak, positive);
        hashSets(ev, strong, positive);
        if (exp == null && strong.isEmpty()) {
            weak.add(reason("TEMP-LOCATION", "An app bundle executable sits in a temporary location and no expected-identity "
                    + "profile covers this path; review who signed it and where it came from", "weak",
                    List.of("TA0005", "T1036.005"), ev.traces()));
        }
        List<Finding.Reason> all = new ArrayList<>(strong);
        all.addAll(weak);
        all.addAll(positive);
        String verdict;
        if (!strong.isEmpty()) {
            verdict = MALICIOUS;
        } else if (!weak.isEmpty()) {
            verdict = SUSPICIOUS;
        } else if (exp != null && sig != null && sig.verdict().equals("valid")) {
            verdict = LEGIT;
        } else {
            verdict = SUSPICIOUS;
        }
        return new Result(verdict, all);
    }

    private static void origins(HuntRule rule, BundleEvidence ev, List<Finding.Reason> strong, List<Finding.Reason> weak,
                                List<Finding.Reason> positive) {
        HuntRule.Expected exp = rule.expected();
        for (BundleEvidence.Origin o : ev.origins()) {
            if (o.url() == null || o.url().isBlank()) {
                continue;
            }
            String host = host(o.url());
            if (exp == null || exp.downloadHosts().isEmpty()) {
                weak.add(reason("ORIGIN", "Downloaded from " + o.url() + (o.agent() == null ? "" : " by " + o.agent()),
                        "info", List.of("T1105"), List.of(o.provenance())));
                continue;
            }
            boolean hostOk = host != null && exp.downloadHosts().stream().anyMatch(h -> h.equalsIgnoreCase(host));
            boolean prefixOk = exp.downloadUrlPrefixes().isEmpty()
                    || exp.downloadUrlPrefixes().stream().anyMatch(p -> o.url().toLowerCase(Locale.ROOT).startsWith(p.toLowerCase(Locale.ROOT)));
            if (hostOk && prefixOk) {
                positive.add(reason("ORIGIN-MATCH", "Downloaded from the expected location " + o.url(), "info", List.of(),
                        List.of(o.provenance())));
            } else if (hostOk) {
                weak.add(reason("ORIGIN-PATH-UNEXPECTED", "Downloaded from the expected host but an unexpected path: " + o.url(),
                        "weak", List.of("T1105"), List.of(o.provenance())));
            } else {
                strong.add(reason("ORIGIN-FOREIGN", "Downloaded from " + (host == null ? o.url() : host) + ", not from "
                        + exp.downloadHosts() + " (" + o.url() + ")", "strong", List.of("TA0011", "T1105"), List.of(o.provenance())));
            }
        }
        if (exp != null && !exp.parentProcesses().isEmpty()) {
            for (BundleEvidence.Launch l : ev.launches()) {
                String name = l.parentProcess() == null ? "" : l.parentProcess().substring(l.parentProcess().lastIndexOf('/') + 1);
                if (exp.parentProcesses().stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
                    positive.add(reason("PARENT-MATCH", "Launched by " + l.parentProcess() + ", an expected parent", "info",
                            List.of(), List.of(l.provenance())));
                } else {
                    weak.add(reason("PARENT-UNEXPECTED", "Launched by " + l.parentProcess() + ", not by an expected parent "
                            + exp.parentProcesses(), "weak", List.of("TA0002", "T1218"), List.of(l.provenance())));
                }
            }
        }
    }

    /**
     * A known-bad listing of any bundle file is a strong reason; a known-good or NSRL listing of the main
     * executable is information only: such lists say a file is known, not that this copy is benign here.
     */
    private static void hashSets(BundleEvidence ev, List<Finding.Reason> strong, List<Finding.Reason> positive) {
        for (Finding.HashSetHit h : ev.hashSetHits()) {
            String what = h.name() == null ? "" : " as \"" + h.name() + "\"";
            String desc = h.description() == null ? "" : " (" + h.description() + ")";
            String where = h.path() + " [" + h.matchedBy() + "] in " + h.setFile();
            boolean exe = h.path() != null && h.path().equals(ev.executablePath());
            switch (h.set()) {
                case "known-bad" -> strong.add(reason("HASH-KNOWN-BAD", (exe ? "The main executable" : "Bundle file " + h.path())
                        + " is listed in the known-bad hash set " + h.setFile() + what + desc, "strong", List.of(), List.of(where)));
                case "known-good" -> {
                    if (exe) {
                        positive.add(reason("HASH-KNOWN-GOOD", "The main executable is listed in the known-good hash set "
                                + h.setFile() + what + desc + "; a known-good listing alone does not make the bundle legitimate",
                                "info", List.of(), List.of(where)));
                    }
                }
                case "nsrl" -> {
                    if (exe) {
                        positive.add(reason("HASH-NSRL", "The main executable is listed in the NSRL reference data set "
                                + h.setFile() + what + desc + "; the NSRL lists known software, not benign software, so this"
                                + " does not by itself make the bundle legitimate", "info", List.of(), List.of(where)));
                    }
                }
                default -> {
                    // an unknown set kind carries no meaning for the verdict
                }
            }
        }
    }

    static String host(String url) {
        try {
            return URI.create(url.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Finding.Reason reason(String code, String text, String weight, List<String> attack, List<String> evidence) {
        List<String> ev = new ArrayList<>();
        for (String e : evidence) {
            if (e != null) {
                ev.add(e);
            }
        }
        return new Finding.Reason(code, text, weight, attack, ev);
    }
}
