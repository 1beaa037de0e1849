package io.vestige.evidence;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalization of paths found inside evidence. Member names such as {@code ./a}, {@code /a},
 * {@code a//b} or hostile {@code ../../x} all map to a path under the evidence root: {@code ..}
 * never climbs above {@code /}. These paths are labels, never used to write to the host.
 */
public final class Paths {
    private Paths() {
    }

    /** Absolute, {@code /}-separated, without {@code .}, {@code ..}, empty or trailing components. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String p : raw.replace('\\', '/').split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.addLast(p);
        }
        if (parts.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append('/').append(p);
        }
        return sb.toString();
    }

    /** The parent of a normalized path ({@code /} for top-level entries and for the root). */
    public static String parent(String normalized) {
        int i = normalized.lastIndexOf('/');
        return i <= 0 ? "/" : normalized.substring(0, i);
    }

    /** The last component of a normalized path ({@code ""} for the root). */
    public static String name(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    /** Joins a normalized directory path and a child name. */
    public static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
