package io.vestige.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Loads hunt rules from expected-identity profile files ({@code vestige-profiles/1} JSON). The
 * built-in file ships inside the jar ({@code io/vestige/hunt/profiles.json}); users add files with
 * {@code --profile FILE}. A rule in a user file replaces a built-in rule with the same id.
 */
public final class Profiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Profiles() {
    }

    public static List<HuntRule> builtIn() {
        try (InputStream in = Profiles.class.getResourceAsStream("profiles.json")) {
            if (in == null) {
                throw new IllegalStateException("built-in profiles.json missing from the jar");
            }
            return parse(JSON.readTree(in), "built-in profiles.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in rules with the given files' rules added (same id replaces). */
    public static List<HuntRule> withUserFiles(List<Path> files) throws IOException {
        List<HuntRule> rules = new ArrayList<>(builtIn());
        for (Path f : files) {
            for (HuntRule r : parse(JSON.readTree(Files.readAllBytes(f)), f.toString())) {
                rules.removeIf(x -> x.id().equals(r.id()));
                rules.add(r);
            }
        }
        return rules;
    }

    static List<HuntRule> parse(JsonNode root, String source) {
        if (!"vestige-profiles/1".equals(root.path("schema").asText())) {
            throw new IllegalArgumentException(source + ": not a profile file (\"schema\": \"vestige-profiles/1\" expected)");
        }
        List<HuntRule> out = new ArrayList<>();
        for (JsonNode p : root.path("profiles")) {
            String id = text(p, "id", source);
            try {
                HuntRule.Expected exp = null;
                JsonNode e = p.path("expected");
                if (e.isObject()) {
                    exp = new HuntRule.Expected(list(e, "teamIds"), list(e, "signerOrganisations"),
                            list(e, "signingIdentifierPrefixes"), list(e, "executableNames"), list(e, "downloadHosts"),
                            list(e, "downloadUrlPrefixes"), list(e, "parentProcesses"));
                }
                out.add(HuntRule.of(id, text(p, "title", source), p.path("description").asText(""),
                        text(p, "bundlePath", source), p.path("severity").asText("medium"), list(p, "attack"),
                        p.path("priority").asInt(50), exp));
            } catch (PatternSyntaxException ex) {
                throw new IllegalArgumentException(source + ": profile " + id + ": bad bundlePath regex: " + ex.getDescription());
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field, String source) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(source + ": a profile lacks \"" + field + "\"");
        }
        return v.asText();
    }

    private static List<String> list(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : n.path(field)) {
            out.add(v.asText());
        }
        return out;
    }
}
