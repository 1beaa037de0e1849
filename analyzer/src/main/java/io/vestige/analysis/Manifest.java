package io.vestige.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vestige.reports.JsonReportWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the SHA-256 of every output file of a report folder, so that anyone can
 * check later that the exhibit is unaltered ({@code vestige verify-report}). An optional detached
 * CMS signature ({@code manifest.json.p7s}, see {@link ManifestSigner}) binds the manifest to the examiner.
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    public static final String SCHEMA = "vestige-manifest/1";

    private Manifest() {
    }

    /** Writes the manifest over the given files (names relative to {@code dir}). */
    public static byte[] write(Path dir, List<String> files, String generatedAt, String tool) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("generatedAt", generatedAt);
        m.put("tool", tool);
        Map<String, String> hashes = new TreeMap<>();
        for (String f : files) {
            hashes.put(f, sha256(dir.resolve(f)));
        }
        m.put("files", hashes);
        byte[] bytes = JsonReportWriter.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
        ReportOutput.atomic(dir.resolve(FILE), out -> {
            out.write(bytes);
            out.write('\n');
        });
        return Files.readAllBytes(dir.resolve(FILE));
    }

    /** Problems found when checking a report folder against its manifest; empty means intact. */
    public static List<String> check(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        Path mf = dir.resolve(FILE);
        if (!Files.isRegularFile(mf)) {
            problems.add("no " + FILE + " in " + dir);
            return problems;
        }
        JsonNode root = new ObjectMapper().readTree(mf.toFile());
        if (!SCHEMA.equals(root.path("schema").asText())) {
            problems.add(FILE + " is not a Vestige manifest");
            return problems;
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        root.path("files").fieldNames().forEachRemaining(listed::add);
        try (java.util.stream.Stream<Path> st = Files.list(dir)) {
            for (Path f : st.sorted().toList()) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f) && !listed.contains(n) && !n.equals(FILE) && !n.equals(ManifestSigner.FILE)
                        && !n.startsWith(".")) {
                    problems.add("added: " + n + " (not in the manifest)");
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                problems.add("manifest names a file outside the folder: " + name);
                continue;
            }
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                problems.add("missing: " + name);
            } else if (!sha256(f).equals(e.getValue().asText())) {
                problems.add("modified: " + name + " (SHA-256 differs from the manifest)");
            }
        }
        return problems;
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
