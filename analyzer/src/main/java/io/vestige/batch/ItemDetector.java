package io.vestige.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a batch input into items: a folder whose entries are evidence (multi-file sets grouped:
 * {@code x.E01 x.E02 …}, {@code x.Ex01 …}, {@code x.S01 …}, {@code x.001 x.002 …}, {@code x.dmg} with
 * {@code x.NNN.dmgpart}), or a manifest (CSV or TSV with a header naming at least {@code id} and
 * {@code evidence}; optional {@code case}, {@code examiner}, {@code notes}, {@code password_file};
 * several evidence paths separated by {@code ;}, relative to the manifest's folder).
 */
public final class ItemDetector {
    private static final Pattern EWF_SEGMENT = Pattern.compile("(?i)^(.*)\\.([ELS])(x?)([0-9]{2}|[A-Z]{2})$");
    private static final Pattern SPLIT_RAW = Pattern.compile("^(.*)\\.([0-9]{3})$");
    private static final Pattern DMG_PART = Pattern.compile("(?i)^(.*)\\.([0-9]{3})\\.dmgpart$");

    private ItemDetector() {
    }

    public static List<BatchItem> detect(Path input) throws IOException {
        if (Files.isDirectory(input)) {
            return fromFolder(input);
        }
        String n = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv") || n.endsWith(".tsv")) {
            return fromManifest(input);
        }
        throw new IllegalArgumentException("batch input must be a folder of evidence or a manifest (.csv/.tsv): " + input);
    }

    static List<BatchItem> fromFolder(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // hidden files, AppleDouble, our own temp files
                }
                entries.add(p);
            }
        }
        entries.sort(null);
        Map<String, List<Path>> groups = new TreeMap<>();
        Map<String, Path> first = new TreeMap<>();
        Set<Path> grouped = new HashSet<>();
        for (Path p : entries) {
            if (Files.isDirectory(p)) {
                continue;
            }
            String name = p.getFileName().toString();
            String key = null;
            boolean isFirst = false;
            Matcher m = DMG_PART.matcher(name);
            if (m.matches()) {
                key = "dmg:" + m.group(1).toLowerCase(Locale.ROOT);
            } else if (name.toLowerCase(Locale.ROOT).endsWith(".dmg")) {
                key = "dmg:" + name.substring(0, name.length() - 4).toLowerCase(Locale.ROOT);
                isFirst = true;
            } else if ((m = EWF_SEGMENT.matcher(name)).matches()) {
                key = "ewf:" + m.group(1) + ":" + m.group(2).toUpperCase(Locale.ROOT) + m.group(3).toLowerCase(Locale.ROOT);
                isFirst = m.group(4).equals("01");
            } else if ((m = SPLIT_RAW.matcher(name)).matches()) {
                key = "split:" + m.group(1);
                isFirst = m.group(2).equals("001");
            }
            if (key != null) {
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                grouped.add(p);
                if (isFirst) {
                    first.put(key, p);
                }
            }
        }
        List<BatchItem> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
            List<Path> files = g.getValue();
            Path main = first.getOrDefault(g.getKey(), files.get(0));
            items.add(new BatchItem(uniqueId(main.getFileName().toString(), ids), List.of(main), files, null, null, null, null));
        }
        for (Path p : entries) {
            if (grouped.contains(p)) {
                continue;
            }
            List<Path> evidence = List.of(p);
            List<Path> files = List.of(p);
            if (Files.isDirectory(p)) {
                List<BatchItem> inner = evidenceFolder(p);
                if (inner != null) {
                    // a case folder holding images and exports: one item whose evidence is those files
                    evidence = new ArrayList<>();
                    files = new ArrayList<>();
                    for (BatchItem i : inner) {
                        evidence.addAll(i.evidence());
                        files.addAll(i.files());
                    }
                }
            }
            items.add(new BatchItem(uniqueId(p.getFileName().toString(), ids), evidence, files, null, null, null, null));
        }
        items.sort(java.util.Comparator.comparing(BatchItem::id));
        return items;
    }

    /** Top-level names that mark a folder as a host's file tree (a logical collection), not a folder of images. */
    static final java.util.Set<String> HOST_TREE = java.util.Set.of("private", "users", "library", "system", "applications",
            "var", "tmp", "etc", "volumes", "[root]", "uploads", ".fseventsd");

    /**
     * The items of a folder that holds evidence files only (a case folder: {@code mac.E01}, {@code log.ndjson} …),
     * or null when the folder is a host's file tree, a bundle-like folder, or holds sub-folders.
     */
    public static List<BatchItem> evidenceFolder(Path dir) throws IOException {
        String n = dir.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".sparsebundle") || n.endsWith(".logarchive") || n.endsWith(".app")) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            boolean any = false;
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && !name.equals(".fseventsd")) {
                    continue;
                }
                if (Files.isDirectory(p) || HOST_TREE.contains(name.toLowerCase(Locale.ROOT))) {
                    return null;
                }
                any = true;
            }
            if (!any) {
                return null;
            }
        }
        List<BatchItem> inner = fromFolder(dir);
        // certificates and notes that sit beside the images are not evidence of their own
        inner.removeIf(i -> i.evidence().size() == 1 && i.evidence().get(0).getFileName().toString().toLowerCase(Locale.ROOT)
                .matches(".*\\.(pem|crt|cer|der|txt|md|pdf|csv|tsv)$"));
        return inner.isEmpty() ? null : inner;
    }

    static List<BatchItem> fromManifest(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        String sep = manifest.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? "\t" : ",";
        List<BatchItem> items = new ArrayList<>();
        Map<String, Integer> col = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        Path base = manifest.toAbsolutePath().getParent();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = split(line, sep.charAt(0));
            if (col.isEmpty()) {
                for (int i = 0; i < cells.size(); i++) {
                    col.put(cells.get(i).trim().toLowerCase(Locale.ROOT), i);
                }
                if (!col.containsKey("evidence")) {
                    throw new IllegalArgumentException(manifest + " line 1: the header must name an 'evidence' column"
                            + " (columns: id, evidence, case, examiner, notes, password_file)");
                }
                continue;
            }
            String ev = cell(cells, col, "evidence");
            if (ev == null || ev.isBlank()) {
                throw new IllegalArgumentException(manifest + " line " + lineNo + ": empty 'evidence'");
            }
            List<Path> paths = new ArrayList<>();
            for (String e : ev.split(";")) {
                if (!e.isBlank()) {
                    paths.add(base.resolve(e.trim()).normalize());
                }
            }
            String id = cell(cells, col, "id");
            if (id == null || id.isBlank()) {
                id = paths.get(0).getFileName().toString();
            }
            String pw = cell(cells, col, "password_file");
            items.add(new BatchItem(uniqueId(id, ids), paths, paths, cell(cells, col, "case"), cell(cells, col, "examiner"),
                    cell(cells, col, "notes"), pw == null || pw.isBlank() ? null : base.resolve(pw.trim()).normalize()));
        }
        items.sort(java.util.Comparator.comparing(BatchItem::id));
        return items;
    }

    private static String cell(List<String> cells, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= cells.size() ? null : cells.get(i).trim();
    }

    /** Splits one CSV/TSV line, honouring double quotes. */
    static List<String> split(String line, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** A file-name-safe, unique id. */
    static String uniqueId(String raw, Set<String> taken) {
        String base = raw.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || base.startsWith(".")) {
            base = "item" + base;
        }
        String id = base;
        for (int i = 2; !taken.add(id.toLowerCase(Locale.ROOT)); i++) {
            id = base + "-" + i;
        }
        return id;
    }
}
