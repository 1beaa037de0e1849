package io.vestige.reports;

import java.util.List;
import java.util.Map;

/**
 * One app bundle found by a hunt, with everything said about it. {@code verdict} and {@code reasons}
 * say whether it is what it claims to be; each reason cites its evidence and ATT&amp;CK techniques.
 *
 * @param id            stable identifier within the report ({@code F001} …)
 * @param rule          the rule that matched ({@code H048}, {@code TEMP-APP})
 * @param bundlePath    the bundle's path as the host saw it
 * @param evidencePath  provenance of the bundle folder
 * @param codeSignature the signature verification result (format of the code-signing module), or null
 * @param hashSetHits   files of the bundle listed in a consulted hash set (known-bad, known-good, NSRL)
 */
public record Finding(String id, String rule, String ruleTitle, String severity, String verdict,
                      List<Reason> reasons, List<String> attack, String bundlePath, String evidence,
                      String evidencePath, BundleInfo bundle, Executable executable, List<FileHash> files,
                      Map<String, String> times, Object codeSignature, List<TimelineEvent> timeline,
                      List<String> notes, List<HashSetHit> hashSetHits) {
    public Finding {
        hashSetHits = hashSetHits == null ? List.of() : List.copyOf(hashSetHits);
        reasons = List.copyOf(reasons);
        attack = List.copyOf(attack);
        files = List.copyOf(files);
        times = Maps.sortedStrings(times);
        timeline = List.copyOf(timeline);
        notes = List.copyOf(notes);
    }

    /** Why the verdict is what it is; {@code evidence} lists the provenance of what the reason rests on. */
    public record Reason(String code, String text, String weight, List<String> attack, List<String> evidence) {
        public Reason {
            attack = List.copyOf(attack);
            evidence = List.copyOf(evidence);
        }
    }

    /** Info.plist facts. {@code infoPlist} holds the top-level keys rendered as text. */
    public record BundleInfo(String identifier, String name, String version, String shortVersion, String executable,
                             String infoPlistPath, String infoPlistFormat, Map<String, String> infoPlist) {
        public BundleInfo {
            infoPlist = Maps.sortedStrings(infoPlist);
        }
    }

    /** The bundle's main executable. {@code machO} holds architecture, UUIDs and load-command facts. */
    public record Executable(String path, long size, String md5, String sha1, String sha256, String evidencePath,
                             Map<String, Object> machO) {
        public Executable {
            machO = Maps.sorted(machO);
        }
    }

    /** A file of the bundle with its hashes. */
    public record FileHash(String path, String kind, long size, String md5, String sha1, String sha256,
                           String modified, boolean machO) {
    }

    /**
     * A bundle file listed in a hash set. {@code set} is {@code known-bad}, {@code known-good} or
     * {@code nsrl}; {@code setFile} the set's file name; {@code matchedBy} the algorithm that matched
     * ({@code sha256}, {@code sha1}, {@code md5}); {@code name}, {@code description}, {@code source} come from the set.
     */
    public record HashSetHit(String path, String sha256, String set, String setFile, String matchedBy, String name,
                             String description, String source) {
    }
}
