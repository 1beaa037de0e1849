package io.vestige.hunt;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A rule that names app bundles of interest by their host path, with the identity such a bundle is
 * expected to have. Rules are data ({@link Profiles}): H048 (Cisco AnyConnect's updater location) and
 * the generic temporary-bundle rule ship built in; users add their own profile files for other
 * software that legitimately runs from temporary folders. Path matching is case-insensitive, as on a
 * default macOS volume.
 *
 * @param bundlePath  regular expression over the bundle's absolute host path
 * @param severity    {@code high}, {@code medium}, {@code low}, {@code info}
 * @param attack      ATT&amp;CK technique ids that the match itself suggests
 * @param priority    higher wins when several rules match one bundle
 * @param expected    the expected identity, or null for generic rules
 */
public record HuntRule(String id, String title, String description, Pattern bundlePath, String severity,
                       List<String> attack, int priority, Expected expected) {
    public HuntRule {
        attack = List.copyOf(attack);
    }

    /**
     * What a genuine bundle matching the rule looks like. Empty lists mean "no expectation".
     *
     * @param teamIds                   Apple team IDs of the legitimate signer
     * @param signerOrganisations       organisation names expected in the leaf certificate
     * @param signingIdentifierPrefixes prefixes of the CodeDirectory identifier
     * @param executableNames           names of the main executable
     * @param downloadHosts             hosts the bundle is expected to be downloaded from
     * @param downloadUrlPrefixes       URL prefixes of legitimate downloads
     * @param parentProcesses           process names expected to launch it (matched on the last path component)
     */
    public record Expected(List<String> teamIds, List<String> signerOrganisations, List<String> signingIdentifierPrefixes,
                           List<String> executableNames, List<String> downloadHosts, List<String> downloadUrlPrefixes,
                           List<String> parentProcesses) {
        public Expected {
            teamIds = teamIds == null ? List.of() : List.copyOf(teamIds);
            signerOrganisations = signerOrganisations == null ? List.of() : List.copyOf(signerOrganisations);
            signingIdentifierPrefixes = signingIdentifierPrefixes == null ? List.of() : List.copyOf(signingIdentifierPrefixes);
            executableNames = executableNames == null ? List.of() : List.copyOf(executableNames);
            downloadHosts = downloadHosts == null ? List.of() : List.copyOf(downloadHosts);
            downloadUrlPrefixes = downloadUrlPrefixes == null ? List.of() : List.copyOf(downloadUrlPrefixes);
            parentProcesses = parentProcesses == null ? List.of() : List.copyOf(parentProcesses);
        }
    }

    public static HuntRule of(String id, String title, String description, String regex, String severity,
                              List<String> attack, int priority, Expected expected) {
        return new HuntRule(id, title, description, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                severity, attack, priority, expected);
    }

    public boolean matches(String hostPath) {
        return bundlePath.matcher(hostPath).matches();
    }

    /** The built-in rules (H048 and TEMP-APP). */
    public static List<HuntRule> builtIn() {
        return Profiles.builtIn();
    }
}
