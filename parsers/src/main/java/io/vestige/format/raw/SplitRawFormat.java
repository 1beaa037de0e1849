package io.vestige.format.raw;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.LimitExceededException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A raw image split into numbered pieces ({@code image.001, .002 …}, also {@code .000} first, any
 * digit width) or split(1)-style letter suffixes ({@code image.aa, .ab …}). The user may name any
 * piece; the set is found from its siblings (case-insensitive) and read as one concatenated medium.
 * Placed before {@link RawFormat}; a lone {@code .001} is accepted too, a lone {@code .aa} is left
 * to raw.
 */
public final class SplitRawFormat implements ContainerFormat {
    private static final Pattern NUMERIC = Pattern.compile("(.*\\.)(\\d{3,4})");
    private static final Pattern ALPHA = Pattern.compile("(.*\\.)([a-z]{2,3})");

    @Override
    public String name() {
        return "splitraw";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory()) {
            return false;
        }
        List<Path> parts = parts(candidate.path(), Integer.MAX_VALUE);
        return parts != null && !parts.isEmpty();
    }

    /**
     * The pieces of the set {@code file} belongs to, in order, or null when the name does not look
     * like a split image.
     */
    public static List<Path> parts(Path file, int limit) throws IOException {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String n = name.toString();
        Path dir = file.toAbsolutePath().getParent();
        Matcher num = NUMERIC.matcher(n);
        Matcher alpha = ALPHA.matcher(n.toLowerCase(Locale.ROOT));
        boolean numeric = num.matches();
        if (!numeric && !alpha.matches()) {
            return null;
        }
        Map<String, Path> byLower = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> byLower.putIfAbsent(p.getFileName().toString().toLowerCase(Locale.ROOT), p));
        }
        String stem = (numeric ? num.group(1) : n.substring(0, alpha.group(1).length())).toLowerCase(Locale.ROOT);
        List<Path> out = new ArrayList<>();
        if (numeric) {
            int width = num.group(2).length();
            String fmt = "%0" + width + "d";
            int start = byLower.containsKey(stem + String.format(Locale.ROOT, fmt, 0)) ? 0 : 1;
            for (int i = start; ; i++) {
                String suffix = String.format(Locale.ROOT, fmt, i);
                if (suffix.length() > width) {
                    break;
                }
                Path p = byLower.get(stem + suffix);
                if (p == null) {
                    break;
                }
                if (out.size() >= limit) {
                    throw new LimitExceededException("split raw image", -1, "maxSegments", limit, out.size() + 1L);
                }
                out.add(p);
            }
            if (out.isEmpty()) {
                return null;
            }
            return out;
        }
        int width = alpha.group(2).length();
        long max = (long) Math.pow(26, width);
        for (long i = 0; i < max; i++) {
            char[] c = new char[width];
            long v = i;
            for (int k = width - 1; k >= 0; k--) {
                c[k] = (char) ('a' + v % 26);
                v /= 26;
            }
            Path p = byLower.get(stem + new String(c));
            if (p == null) {
                break;
            }
            if (out.size() >= limit) {
                throw new LimitExceededException("split raw image", -1, "maxSegments", limit, out.size() + 1L);
            }
            out.add(p);
        }
        // a lone ".aa" is more likely some other file than a split image
        return out.size() >= 2 ? out : null;
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        List<Path> paths = parts(candidate.path(), options.limits().maxSegments());
        if (paths == null || paths.isEmpty()) {
            throw new io.vestige.io.MalformedException("split raw image", -1, candidate.path()
                    + " does not belong to a numbered or lettered split set");
        }
        List<ByteSource> srcs = new ArrayList<>();
        try {
            for (Path p : paths) {
                srcs.add(ByteSources.open(p));
            }
        } catch (IOException e) {
            for (ByteSource s : srcs) {
                s.close();
            }
            throw e;
        }
        ByteSource all = ByteSources.concat(srcs);
        List<String> names = paths.stream().map(p -> p.getFileName().toString()).toList();
        Map<String, Object> details = new TreeMap<>();
        details.put("split", true);
        details.put("pieceSizes", srcs.stream().map(ByteSource::size).toList());
        ContainerInfo info = new ContainerInfo("raw", all.size(), 512, names, Map.of(), Map.of(), details);
        EvidencePath ep = EvidencePath.ofFile(names.get(0));
        return new Container() {
            @Override
            public ContainerInfo info() {
                return info;
            }

            @Override
            public EvidencePath evidencePath() {
                return ep;
            }

            @Override
            public ByteSource media() {
                return all;
            }

            @Override
            public void close() throws IOException {
                IOException first = null;
                for (ByteSource s : srcs) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        first = first == null ? e : first;
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
