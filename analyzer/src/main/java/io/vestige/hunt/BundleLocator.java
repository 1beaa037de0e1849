package io.vestige.hunt;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.io.Diagnostic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds {@code .app} bundles under the temporary locations of a macOS file system:
 * {@code /private/tmp}, {@code /tmp}, {@code /private/var/tmp}, {@code /var/tmp} and the per-user
 * {@code /private/var/folders/XX/YYYY/T} and {@code …/C}. The walk is bounded in depth and entries,
 * never follows symlinks (on macOS {@code /tmp} is a symlink to {@code private/tmp}), and does not
 * descend into a bundle once found: nested bundles belong to their outer bundle.
 */
public final class BundleLocator {
    /** Temporary roots, as host paths. */
    public static final List<String> TEMP_ROOTS = List.of("/private/tmp", "/tmp", "/private/var/tmp", "/var/tmp");
    /** Per-user temporary and cache folders: {@code /private/var/folders/XX/YYYY/{T,C}}. */
    public static final List<String> FOLDERS_ROOTS = List.of("/private/var/folders", "/var/folders");

    private final int maxDepth;
    private final long maxEntries;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private long visited;

    public BundleLocator(int maxDepth, long maxEntries) {
        this.maxDepth = maxDepth;
        this.maxEntries = maxEntries;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Number of entries looked at. */
    public long visited() {
        return visited;
    }

    /** Every bundle folder under the temporary roots, sorted by path. */
    public List<FileEntry> locate(FileSystem fs) throws IOException {
        List<FileEntry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String root : TEMP_ROOTS) {
            FileEntry e = lookupDir(fs, root);
            if (e != null) {
                walk(fs, e, 0, out, seen);
            }
        }
        for (String root : FOLDERS_ROOTS) {
            FileEntry folders = lookupDir(fs, root);
            if (folders == null) {
                continue;
            }
            for (FileEntry xx : children(fs, folders)) {
                if (!xx.isDirectory()) {
                    continue;
                }
                for (FileEntry user : children(fs, xx)) {
                    if (!user.isDirectory()) {
                        continue;
                    }
                    for (FileEntry tc : children(fs, user)) {
                        if (tc.isDirectory() && (tc.name().equals("T") || tc.name().equals("C"))) {
                            walk(fs, tc, 0, out, seen);
                        }
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparing(FileEntry::path));
        return out;
    }

    private FileEntry lookupDir(FileSystem fs, String path) {
        try {
            FileEntry e = fs.lookup(path);
            return e != null && e.kind() == EntryKind.DIRECTORY ? e : null;
        } catch (IOException e) {
            diagnostics.add(Diagnostic.warning(fs.evidencePath().toString(), "hunt", -1,
                    "cannot look up " + path + ": " + e.getMessage()));
            return null;
        }
    }

    private List<FileEntry> children(FileSystem fs, FileEntry dir) {
        try {
            return dir.children();
        } catch (IOException e) {
            diagnostics.add(Diagnostic.warning(fs.evidencePath().toString(), "hunt", -1,
                    "cannot list " + dir.path() + ": " + e.getMessage()));
            return List.of();
        }
    }

    private void walk(FileSystem fs, FileEntry dir, int depth, List<FileEntry> out, Set<String> seen) {
        if (!seen.add(dir.path())) {
            return;
        }
        if (depth > maxDepth) {
            diagnostics.add(Diagnostic.warning(fs.evidencePath().toString(), "hunt", -1,
                    "not descending below " + dir.path() + ": deeper than " + maxDepth + " levels"));
            return;
        }
        for (FileEntry c : children(fs, dir)) {
            if (++visited > maxEntries) {
                if (visited == maxEntries + 1) {
                    diagnostics.add(Diagnostic.warning(fs.evidencePath().toString(), "hunt", -1,
                            "stopped after " + maxEntries + " entries under temporary locations"));
                }
                return;
            }
            if (c.kind() != EntryKind.DIRECTORY) {
                continue;
            }
            if (c.name().toLowerCase(Locale.ROOT).endsWith(".app")) {
                out.add(c);
            } else {
                walk(fs, c, depth + 1, out, seen);
            }
        }
    }
}
