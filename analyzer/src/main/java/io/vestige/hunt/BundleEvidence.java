package io.vestige.hunt;

import java.time.Instant;
import java.util.List;

/**
 * What the verdict rests on for one bundle, gathered from every source: the signature, the download
 * origin (quarantine data, log messages naming a URL), and who launched it. Each fact carries the
 * provenance string of where it was read, so that each reason can cite it.
 *
 * @param present   whether the bundle's executable bytes were available (false: known from traces only)
 * @param signature signature facts, or null when not verified (binary absent)
 * @param executablePath the main executable's path in the evidence, or null
 * @param hashSetHits    bundle files listed in a consulted hash set, the executable's first
 */
public record BundleEvidence(boolean present, String executableName, String bundleIdentifier, Signature signature,
                             List<Origin> origins, List<Launch> launches, List<String> traces, String executablePath,
                             List<io.vestige.reports.Finding.HashSetHit> hashSetHits) {
    public BundleEvidence {
        origins = List.copyOf(origins);
        launches = List.copyOf(launches);
        traces = List.copyOf(traces);
        hashSetHits = hashSetHits == null ? List.of() : List.copyOf(hashSetHits);
    }

    /** Evidence without hash-set lookups. */
    public BundleEvidence(boolean present, String executableName, String bundleIdentifier, Signature signature,
                          List<Origin> origins, List<Launch> launches, List<String> traces) {
        this(present, executableName, bundleIdentifier, signature, origins, launches, traces, null, List.of());
    }

    /**
     * The signature as verified offline.
     *
     * @param verdict     {@code valid}, {@code invalid}, {@code unsigned}, {@code adhoc}, {@code untrusted-anchor}
     * @param anchorKind  {@code apple}, {@code user-supplied}, or null
     * @param problems    one line per problem found (page hash mismatch, modified resource …)
     */
    public record Signature(String verdict, String teamId, String certificateTeamId, String identifier,
                            String signerSubject, String organisation, String anchorKind, String anchorName,
                            List<String> problems, List<String> modifiedFiles, List<String> missingFiles,
                            List<String> addedFiles, String provenance) {
        public Signature {
            problems = List.copyOf(problems);
            modifiedFiles = List.copyOf(modifiedFiles);
            missingFiles = List.copyOf(missingFiles);
            addedFiles = List.copyOf(addedFiles);
        }
    }

    /** Where the bundle came from: a quarantine record or a log message naming a download URL. */
    public record Origin(String kind, String url, String agent, Instant time, String provenance) {
    }

    /** A process seen launching the bundle's executable (from the unified log). */
    public record Launch(String parentProcess, Instant time, String provenance) {
    }
}
