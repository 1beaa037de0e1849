package io.vestige.format.collection;

import io.vestige.evidence.Paths;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recognizes how a triage tool wrapped host paths inside an archive and maps member paths back
 * to the paths they had on the host. Members that are the collector's own output (logs, command
 * results) keep their archive path and are marked as collection metadata.
 *
 * <table>
 * <caption>Layouts</caption>
 * <tr><th>layout</th><th>member path</th><th>host path</th></tr>
 * <tr><td>uac</td><td>{@code [uac-dir/]\[root\]/private/tmp/x}</td><td>{@code /private/tmp/x}</td></tr>
 * <tr><td>velociraptor</td><td>{@code [.../]uploads/auto/private/tmp/a%2Eb}</td><td>{@code /private/tmp/.b}
 *   (components percent-encoded as Velociraptor's {@code utils.SanitizeString} does, one trailing
 *   {@code _} added to names ending in {@code _} or {@code .db})</td></tr>
 * <tr><td>folder</td><td>{@code host-2024/private/tmp/x} (one top folder holding host roots)</td><td>{@code /private/tmp/x}</td></tr>
 * <tr><td>plain</td><td>{@code private/tmp/x}, {@code ./private/tmp/x}, {@code /private/tmp/x}</td><td>{@code /private/tmp/x}</td></tr>
 * </table>
 */
public final class CollectionLayout {

    /** Top-level folders of a macOS (or other Unix) root that identify a wrapped host tree. */
    static final Set<String> HOST_ROOTS = Set.of("private", "Users", "Library", "System", "Applications",
            "var", "etc", "tmp", "usr", "Volumes", "opt", "bin", "sbin", "cores", "home", "root");

    /** Velociraptor accessors whose upload folders hold host paths. */
    static final Set<String> VELOCIRAPTOR_ACCESSORS = Set.of("auto", "file", "ntfs", "raw_file", "mft", "lazy_ntfs",
            "fs", "data", "sparse", "zip", "collector", "raw_ntfs", "ext4");

    /** Files Velociraptor writes next to its {@code uploads/} folder. */
    static final Set<String> VELOCIRAPTOR_METADATA = Set.of("uploads.json", "collection_context.json",
            "client_info.json", "log.json", "requests.json", "uploads.json.index");

    /** The kinds of layout recognized. */
    public enum Kind { PLAIN, FOLDER, UAC, VELOCIRAPTOR }

    /** Where one member goes. {@code metadata} is true for the collector's own files. */
    public record Mapping(String path, boolean metadata) {
    }

    private final Kind kind;
    private final String prefix; // normalized, without leading '/', ends with '/' (or "" for plain)

    private CollectionLayout(Kind kind, String prefix) {
        this.kind = kind;
        this.prefix = prefix;
    }

    public static CollectionLayout plain() {
        return new CollectionLayout(Kind.PLAIN, "");
    }

    public Kind kind() {
        return kind;
    }

    /** The stripped prefix as a normalized path ({@code /} for plain trees). */
    public String prefix() {
        return prefix.isEmpty() ? "/" : "/" + prefix.substring(0, prefix.length() - 1);
    }

    /**
     * Decides the layout from all normalized member paths. Looks for a Velociraptor {@code uploads/}
     * folder first, then a UAC {@code [root]} folder (at the top or one level down), then a single
     * top folder that holds host roots; anything else is plain.
     */
    public static CollectionLayout detect(Collection<String> normalizedPaths) {
        Map<String, Integer> velo = new HashMap<>();
        java.util.Set<String> veloMeta = new java.util.HashSet<>();
        Map<String, Integer> uac = new HashMap<>();
        Map<String, Integer> tops = new HashMap<>();
        boolean topHostRoot = false;
        for (String p : normalizedPaths) {
            String[] parts = p.substring(1).split("/");
            if (parts.length == 0 || parts[0].isEmpty()) {
                continue;
            }
            // velociraptor: [<server export folders, up to 4>/]uploads/<accessor>/...; a host path that
            // merely contains an "uploads/file" folder (under Users/, private/ …) is not one
            for (int i = 0; i + 2 < parts.length && i <= 4; i++) {
                if (HOST_ROOTS.contains(parts[i])) {
                    break;
                }
                if (parts[i].equals("uploads") && VELOCIRAPTOR_ACCESSORS.contains(parts[i + 1])) {
                    velo.merge(join(parts, i + 2), 1, Integer::sum);
                    break;
                }
            }
            if (parts.length >= 1 && VELOCIRAPTOR_METADATA.contains(parts[parts.length - 1])) {
                veloMeta.add(join(parts, parts.length - 1));
            }
            if (parts[0].equals("[root]") && parts.length > 1) {
                uac.merge("[root]/", 1, Integer::sum);
            } else if (parts.length > 2 && parts[1].equals("[root]")) {
                uac.merge(parts[0] + "/[root]/", 1, Integer::sum);
            }
            tops.merge(parts[0], 1, Integer::sum);
            if (HOST_ROOTS.contains(parts[0]) && parts.length > 1) {
                topHostRoot = true;
            }
        }
        // a top-level uploads/ folder is Velociraptor's offline-collector layout; deeper ones (server
        // exports) need one of its metadata files beside the uploads folder
        velo.keySet().removeIf(prefix -> {
            String base = prefix.substring(0, prefix.length() - 1);
            base = base.substring(0, base.lastIndexOf('/'));
            base = base.contains("/") ? base.substring(0, base.lastIndexOf('/') + 1) : "";
            return !base.isEmpty() && !veloMeta.contains(base);
        });
        if (!velo.isEmpty()) {
            return new CollectionLayout(Kind.VELOCIRAPTOR, mostCommon(velo));
        }
        if (!uac.isEmpty()) {
            return new CollectionLayout(Kind.UAC, mostCommon(uac));
        }
        if (tops.size() == 1 && !topHostRoot) {
            String top = tops.keySet().iterator().next();
            boolean holdsRoots = false;
            for (String p : normalizedPaths) {
                String[] parts = p.substring(1).split("/");
                if (parts.length > 2 && HOST_ROOTS.contains(parts[1])) {
                    holdsRoots = true;
                    break;
                }
            }
            if (holdsRoots && !HOST_ROOTS.contains(top)) {
                return new CollectionLayout(Kind.FOLDER, top + "/");
            }
        }
        return plain();
    }

    private static String join(String[] parts, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(parts[i]).append('/');
        }
        return sb.toString();
    }

    private static String mostCommon(Map<String, Integer> m) {
        String best = null;
        int count = -1;
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(m).entrySet()) {
            if (e.getValue() > count) {
                best = e.getKey();
                count = e.getValue();
            }
        }
        return best;
    }

    /** Maps a normalized member path to its host path. */
    public Mapping map(String normalized) {
        if (kind == Kind.PLAIN) {
            return new Mapping(normalized, false);
        }
        String rel = normalized.substring(1);
        if (!(rel + "/").startsWith(prefix)) {
            return new Mapping(normalized, true);
        }
        if ((rel + "/").equals(prefix)) {
            return new Mapping("/", false);
        }
        String rest = rel.substring(prefix.length());
        if (kind != Kind.VELOCIRAPTOR) {
            return new Mapping(Paths.normalize(rest), false);
        }
        StringBuilder sb = new StringBuilder();
        for (String c : rest.split("/")) {
            sb.append('/').append(unsanitizeVelociraptor(c));
        }
        // a decoded component may hold '/', '..' or a drive letter: normalize again so it stays under root
        return new Mapping(Paths.normalize(sb.toString()), false);
    }

    /**
     * Reverses Velociraptor's component encoding: {@code %XX} bytes, then one trailing {@code _}
     * dropped (the encoder adds it to names ending in {@code _} or {@code .db}). Bytes are UTF-8.
     */
    static String unsanitizeVelociraptor(String component) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(component.length());
        byte[] in = component.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        byte[] b = out.toByteArray();
        int n = b.length;
        if (n > 0 && b[n - 1] == '_') {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = Character.toLowerCase((char) c);
        if (l >= 'a' && l <= 'f') {
            return l - 'a' + 10;
        }
        return -1;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + (prefix.isEmpty() ? "" : " (" + prefix() + ")");
    }
}
