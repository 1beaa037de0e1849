package io.vestige.format.ewf;

import io.vestige.io.MalformedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Segment file naming: {@code .E01…E99}, then {@code .EAA…EZZ}, {@code .FAA…} up to {@code .ZZZ} (same
 * for {@code s}/{@code L}); EWF2 {@code .Ex01…Ex99}, {@code .ExAA…}. Look-up ignores case, as
 * acquisitions copied between file systems often change it.
 */
final class EwfSegmentNames {
    private EwfSegmentNames() {
    }

    /** Extension (without dot) of segment {@code n} (1-based) in a set whose first extension is {@code first}. */
    static String extension(String first, int n) {
        boolean v2 = first.length() == 4;
        char c0 = first.charAt(0);
        boolean lower = Character.isLowerCase(c0);
        String ext;
        if (v2) {
            // Ex01..Ex99, ExAA..ExZZ, EyAA.., EzZZ
            if (n <= 99) {
                ext = first.substring(0, 2) + String.format(Locale.ROOT, "%02d", n);
            } else {
                int m = n - 100;
                char second = (char) (first.charAt(1) + m / 676);
                ext = "" + first.charAt(0) + second + (char) ('A' + (m / 26) % 26) + (char) ('A' + m % 26);
            }
        } else if (n <= 99) {
            ext = first.charAt(0) + String.format(Locale.ROOT, "%02d", n);
        } else {
            int m = n - 100;
            char base = Character.toUpperCase(c0);
            ext = "" + (char) (base + m / 676) + (char) ('A' + (m / 26) % 26) + (char) ('A' + m % 26);
        }
        if (v2) {
            return lower ? ext.toLowerCase(Locale.ROOT) : ext.substring(0, 2) + ext.substring(2).toUpperCase(Locale.ROOT);
        }
        return lower ? ext.toLowerCase(Locale.ROOT) : ext.toUpperCase(Locale.ROOT);
    }

    /** Highest segment number the naming scheme allows for this first extension. */
    static int maxSegments(String first) {
        if (first.length() == 4) {
            return 99 + 676 * ('z' - Character.toLowerCase(first.charAt(1)) + 1);
        }
        return 99 + 676 * ('Z' - Character.toUpperCase(first.charAt(0)) + 1);
    }

    /** The extension of the first segment that {@code file} belongs to, or null if the name does not fit. */
    static String firstExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String ext = fileName.substring(dot + 1);
        if (ext.length() == 3 && Character.isLetter(ext.charAt(0))) {
            return ext.charAt(0) + "01";
        }
        if (ext.length() == 4 && Character.isLetter(ext.charAt(0)) && Character.toLowerCase(ext.charAt(1)) >= 'x') {
            return ext.substring(0, 1) + (Character.isUpperCase(ext.charAt(1)) ? "X" : "x") + "01";
        }
        return null;
    }

    /**
     * The files of the set that {@code file} belongs to, in segment order, starting at segment 1 and
     * stopping at the first missing number. A file that does not follow the naming scheme is a set of one.
     */
    static List<Path> discover(Path file, int limit) throws IOException {
        String name = file.getFileName().toString();
        String firstExt = firstExtension(name);
        if (firstExt == null) {
            return List.of(file);
        }
        String stem = name.substring(0, name.lastIndexOf('.') + 1);
        Path dir = file.toAbsolutePath().getParent();
        Map<String, Path> byLower = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> byLower.putIfAbsent(p.getFileName().toString().toLowerCase(Locale.ROOT), p));
        }
        String ext1 = firstExt;
        List<Path> out = new ArrayList<>();
        int max = Math.min(limit, maxSegments(ext1));
        for (int n = 1; n <= max; n++) {
            String want = (stem + extension(ext1, n)).toLowerCase(Locale.ROOT);
            Path p = byLower.get(want);
            if (p == null) {
                break;
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            // the user named a later segment and segment 1 is absent
            throw new MalformedException("EWF segment set", -1, "segment 1 (" + stem + firstExt + ") of "
                    + name + " not found in " + dir);
        }
        return out;
    }
}
