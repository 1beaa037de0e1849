package io.vestige.hunt;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the facts of one app bundle: every file with its MD5/SHA-1/SHA-256, which files are
 * Mach-O, the Info.plist keys (XML or binary), the main executable, and the bundle's times.
 * Bounded: at most {@code maxFiles} files and {@code maxDepth} levels are examined, the rest is
 * reported as a note.
 */
public final class BundleInspector {
    /** A file of the bundle. {@code relPath} is relative to the bundle folder. */
    public record BundleFile(FileEntry entry, String relPath, Digests digests, boolean machO, String error) {
    }

    /** What was learnt about one bundle. */
    public record BundleFacts(FileEntry bundle, List<BundleFile> files, Map<String, Object> infoPlist,
                              String infoPlistPath, String infoPlistFormat, BundleFile executable,
                              List<String> notes) {
    }

    private final ParseLimits limits;
    private final int maxFiles;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    public BundleInspector(ParseLimits limits, int maxFiles) {
        this.limits = limits;
        this.maxFiles = maxFiles;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public BundleFacts inspect(FileEntry bundle) throws IOException {
        List<BundleFile> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        collect(bundle, "", 0, files, notes);
        files.sort(java.util.Comparator.comparing(BundleFile::relPath));

        Map<String, Object> info = Map.of();
        String infoPath = null;
        String infoFormat = null;
        for (String candidate : List.of("Contents/Info.plist", "Info.plist")) {
            BundleFile f = find(files, candidate);
            if (f == null) {
                continue;
            }
            infoPath = f.entry().path();
            try {
                byte[] bytes = readSmall(f.entry());
                infoFormat = Plists.formatOf(bytes);
                Object parsed = Plists.parse(bytes);
                if (parsed instanceof Map<?, ?> m) {
                    Map<String, Object> t = new TreeMap<>();
                    m.forEach((k, v) -> t.put(String.valueOf(k), v));
                    info = t;
                } else {
                    notes.add("Info.plist at " + infoPath + " is not a dictionary");
                }
            } catch (IOException e) {
                notes.add("Info.plist at " + infoPath + " could not be read: " + e.getMessage());
            }
            break;
        }
        if (infoPath == null) {
            notes.add("no Info.plist in the bundle");
        }

        BundleFile exe = null;
        Object exeName = info.get("CFBundleExecutable");
        if (exeName instanceof String s && !s.isEmpty() && !s.contains("/")) {
            exe = find(files, "Contents/MacOS/" + s);
            if (exe == null) {
                exe = find(files, s);
            }
            if (exe == null) {
                notes.add("CFBundleExecutable '" + s + "' is not present in the bundle");
            }
        }
        if (exe == null) {
            for (BundleFile f : files) {
                if (f.machO() && f.relPath().startsWith("Contents/MacOS/")) {
                    exe = f;
                    break;
                }
            }
        }
        if (exe == null) {
            for (BundleFile f : files) {
                if (f.machO()) {
                    exe = f;
                    break;
                }
            }
        }
        if (exe == null) {
            notes.add("no Mach-O executable found in the bundle");
        } else if (!exe.machO()) {
            notes.add("the declared executable " + exe.relPath() + " is not a Mach-O file");
        }
        return new BundleFacts(bundle, files, info, infoPath, infoFormat, exe, notes);
    }

    private static BundleFile find(List<BundleFile> files, String rel) {
        for (BundleFile f : files) {
            if (f.relPath().equalsIgnoreCase(rel)) {
                return f;
            }
        }
        return null;
    }

    private byte[] readSmall(FileEntry e) throws IOException {
        long size = e.size();
        limits.check("maxMetadataSize", size, "Info.plist " + e.path(), -1);
        try (ByteSource src = e.content()) {
            return src.readBytes(0, (int) src.size());
        }
    }

    private void collect(FileEntry dir, String rel, int depth, List<BundleFile> out, List<String> notes) throws IOException {
        if (depth > limits.maxTreeDepth()) {
            notes.add("bundle deeper than " + limits.maxTreeDepth() + " levels at " + dir.path() + "; not examined further");
            return;
        }
        for (FileEntry c : dir.children()) {
            String childRel = rel.isEmpty() ? c.name() : rel + "/" + c.name();
            if (c.kind() == EntryKind.DIRECTORY) {
                collect(c, childRel, depth + 1, out, notes);
                continue;
            }
            if (out.size() >= maxFiles) {
                if (out.size() == maxFiles) {
                    notes.add("more than " + maxFiles + " files in the bundle; the rest were not hashed");
                }
                return;
            }
            if (!c.isFile()) {
                out.add(new BundleFile(c, childRel, null, false, null));
                continue;
            }
            try (ByteSource src = c.content()) {
                byte[] head = src.readAtMost(0, 8);
                Digests d = Digests.of(src);
                out.add(new BundleFile(c, childRel, d, MachOSniffer.isMachO(head), null));
            } catch (IOException e) {
                out.add(new BundleFile(c, childRel, null, false, e.getMessage()));
                diagnostics.add(Diagnostic.warning(c.evidencePath().toString(), "bundle file", -1,
                        "cannot read " + c.path() + ": " + e.getMessage()));
            }
        }
    }

    /** ISO-8601 rendering of the times an entry has, keyed created/modified/changed/accessed/added. */
    public static Map<String, String> times(FileEntry e) {
        Map<String, String> m = new TreeMap<>();
        FileTimes t = e.times();
        if (t == null) {
            return m;
        }
        put(m, "created", t.created());
        put(m, "modified", t.modified());
        put(m, "changed", t.changed());
        put(m, "accessed", t.accessed());
        put(m, "added", t.added());
        return m;
    }

    private static void put(Map<String, String> m, String k, Instant v) {
        if (v != null) {
            m.put(k, v.toString());
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
