package io.vestige.hunt;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A rule that names app bundles of interest by their host path. Rules are data: the built-in ones
 * are H048 (Cisco AnyConnect's updater location) and the generic temporary-bundle rule; users add
 * their own in a profile file. Matching is case-insensitive, as on a default macOS volume.
 *
 * @param id          short identifier ({@code H048})
 * @param title       one line for the report
 * @param bundlePath  regular expression over the bundle's absolute host path
 * @param severity    {@code high}, {@code medium}, {@code low}, {@code info}
 * @param attack      ATT&amp;CK technique ids that the match itself suggests
 * @param priority    higher wins when several rules match one bundle
 */
public record HuntRule(String id, String title, Pattern bundlePath, String severity, List<String> attack, int priority) {
    public HuntRule {
        attack = List.copyOf(attack);
    }

    public static HuntRule of(String id, String title, String regex, String severity, List<String> attack, int priority) {
        return new HuntRule(id, title, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                severity, attack, priority);
    }

    public boolean matches(String hostPath) {
        return bundlePath.matcher(hostPath).matches();
    }

    /** Cisco AnyConnect's updater: {@code /private/tmp/vpn.<random>/vpndownloader.app} (also reached as {@code /tmp}). */
    public static final HuntRule H048 = of("H048",
            "AnyConnect updater location: /private/tmp/vpn.*/vpndownloader.app",
            "^/(private/)?tmp/vpn\\.[^/]+/vpndownloader\\.app$", "high", List.of("T1036.005", "T1204.002"), 100);

    /** Any app bundle under a temporary location. */
    public static final HuntRule TEMP_APP = of("TEMP-APP",
            "App bundle with an executable under a temporary location",
            "^/(private/)?(tmp|var/tmp|var/folders/[^/]+/[^/]+/[TC])/.*\\.app$", "medium", List.of("T1036"), 10);

    public static List<HuntRule> builtIn() {
        return List.of(H048, TEMP_APP);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
