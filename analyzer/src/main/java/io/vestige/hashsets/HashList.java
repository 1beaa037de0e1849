package io.vestige.hashsets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A known-good or known-bad hash list read from a CSV file: either a header row naming at least one
 * of {@code sha256}, {@code sha1}, {@code md5} (any case) with optional {@code name},
 * {@code description}, {@code source} columns, or a plain list of hex hashes, one per line, whose
 * type follows from its length (32 MD5, 40 SHA-1, 64 SHA-256). Fields follow RFC 4180 quoting on a
 * single line; blank lines and lines starting with {@code #} are skipped. Hashes are kept in lower case.
 */
public final class HashList {
    /** One entry's descriptive columns (each may be null). */
    public record Entry(String name, String description, String source) {
    }

    private static final List<String> ALGORITHMS = List.of("sha256", "sha1", "md5");
    /** Shared by every entry without descriptive columns, so a plain list costs only its hashes. */
    private static final Entry BARE = new Entry(null, null, null);

    private final String kind;
    private final Path file;
    private final String fileSha256;
    private final Map<String, Map<String, Entry>> byAlgorithm;

    private HashList(String kind, Path file, String fileSha256, Map<String, Map<String, Entry>> byAlgorithm) {
        this.kind = kind;
        this.file = file;
        this.fileSha256 = fileSha256;
        this.byAlgorithm = byAlgorithm;
    }

    public String kind() {
        return kind;
    }

    public Path file() {
        return file;
    }

    public String fileSha256() {
        return fileSha256;
    }

    /** Entries per algorithm, sorted by algorithm name. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        byAlgorithm.forEach((a, e) -> m.put(a, e.size()));
        return m;
    }

    public int size() {
        return byAlgorithm.values().stream().mapToInt(Map::size).sum();
    }

    /** The entry for a lower-case hex digest of the given algorithm ({@code sha256}, {@code sha1}, {@code md5}), or null. */
    public Entry lookup(String algorithm, String hex) {
        Map<String, Entry> m = byAlgorithm.get(algorithm);
        return m == null || hex == null ? null : m.get(hex.toLowerCase(Locale.ROOT));
    }

    /**
     * Reads a list; {@code maxEntries} bounds the number of hashes it may hold.
     *
     * @throws HashSetException naming the file and line of the first malformed row, or the bound exceeded
     */
    public static HashList read(String kind, Path file, long maxEntries) throws IOException {
        Map<String, Map<String, Entry>> by = new HashMap<>();
        for (String a : ALGORITHMS) {
            by.put(a, new HashMap<>());
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String name = String.valueOf(file.getFileName());
        long total = 0;
        try (InputStream raw = Files.newInputStream(file);
             DigestInputStream din = new DigestInputStream(raw, sha)) {
            Lines r = new Lines(din);
            Map<String, Integer> columns = null;
            boolean plain = false;
            int headerWidth = 0;
            String line;
            long lineNo = 0;
            while (true) {
                line = r.next(name, lineNo + 1);
                if (line == null) {
                    break;
                }
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (columns == null && !plain) {
                    List<String> head = split(t, name, lineNo);
                    Map<String, Integer> cols = new HashMap<>();
                    for (int i = 0; i < head.size(); i++) {
                        String h = head.get(i).strip().toLowerCase(Locale.ROOT).replace("-", "");
                        if ((ALGORITHMS.contains(h) || List.of("name", "description", "source").contains(h))
                                && cols.putIfAbsent(h, i) != null) {
                            throw new HashSetException(name + " line " + lineNo + ": column " + h + " appears twice in the header");
                        }
                    }
                    if (ALGORITHMS.stream().anyMatch(cols::containsKey)) {
                        columns = cols;
                        headerWidth = head.size();
                        continue;
                    }
                    if (algorithmFor(t) == null) {
                        throw new HashSetException(name + " line " + lineNo + ": expected a header naming sha256, sha1 or md5,"
                                + " or a hex hash of 32, 40 or 64 digits, found \"" + clip(t) + "\"");
                    }
                    plain = true;
                }
                if (plain) {
                    String a = algorithmFor(t);
                    if (a == null) {
                        throw new HashSetException(name + " line " + lineNo + ": not a hex MD5, SHA-1 or SHA-256 hash: \"" + clip(t) + "\"");
                    }
                    if (by.get(a).putIfAbsent(t.toLowerCase(Locale.ROOT), BARE) == null) {
                        total = bump(total, maxEntries, name, lineNo);
                    }
                    continue;
                }
                List<String> f = split(t, name, lineNo);
                if (f.size() > headerWidth) {
                    throw new HashSetException(name + " line " + lineNo + ": " + f.size() + " fields, the header has " + headerWidth);
                }
                Entry e = new Entry(field(f, columns.get("name")), field(f, columns.get("description")), field(f, columns.get("source")));
                if (e.equals(BARE)) {
                    e = BARE;
                }
                boolean any = false;
                for (String a : ALGORITHMS) {
                    String v = field(f, columns.get(a));
                    if (v == null) {
                        continue;
                    }
                    if (!a.equals(algorithmFor(v))) {
                        throw new HashSetException(name + " line " + lineNo + ": column " + a + " holds \"" + clip(v)
                                + "\", not a hex " + a.toUpperCase(Locale.ROOT) + " hash");
                    }
                    any = true;
                    if (by.get(a).putIfAbsent(v.toLowerCase(Locale.ROOT), e) == null) {
                        total = bump(total, maxEntries, name, lineNo);
                    }
                }
                if (!any) {
                    throw new HashSetException(name + " line " + lineNo + ": no hash in this row");
                }
            }
            // Hash the whole file, including anything after the last line read.
            din.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new HashList(kind, file, HexFormat.of().formatHex(sha.digest()), by);
    }

    /** Splits a byte stream into lines and decodes each as UTF-8, so that line numbers stay exact even when a later line is not text. */
    private static final class Lines {
        private final InputStream in;
        private final java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private byte[] line = new byte[256];

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its terminator, or null at the end. */
        String next(String name, long lineNo) throws IOException {
            int len = 0;
            boolean any = false;
            boolean ascii = true;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                any = true;
                byte b = buf[pos++];
                if (b == '\n') {
                    break;
                }
                if (len == MAX_LINE) {
                    throw new HashSetException(name + " line " + lineNo + ": longer than " + MAX_LINE + " bytes");
                }
                if (len == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, len * 2));
                }
                ascii &= b >= 0;
                line[len++] = b;
            }
            if (ascii) {
                return new String(line, 0, len, StandardCharsets.ISO_8859_1);
            }
            try {
                return utf8.decode(java.nio.ByteBuffer.wrap(line, 0, len)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new HashSetException(name + " line " + lineNo + ": not UTF-8 text");
            }
        }
    }

    private static final int MAX_LINE = 1 << 20;

    private static long bump(long total, long max, String name, long lineNo) throws HashSetException {
        if (total + 1 > max) {
            throw new HashSetException(name + " line " + lineNo + ": more than " + max
                    + " entries; split the list or reduce it to the hashes needed");
        }
        return total + 1;
    }

    private static String field(List<String> f, Integer i) {
        if (i == null || i >= f.size()) {
            return null;
        }
        String v = f.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    /** {@code sha256}, {@code sha1} or {@code md5} for a hex string of 64, 40 or 32 digits; null otherwise. */
    static String algorithmFor(String s) {
        String a = switch (s.length()) {
            case 32 -> "md5";
            case 40 -> "sha1";
            case 64 -> "sha256";
            default -> null;
        };
        if (a == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return null;
            }
        }
        return a;
    }

    static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "\u2026" : s;
    }

    /** Splits one CSV line (RFC 4180 quoting; a quoted field may not span lines). */
    static List<String> split(String line, String name, long lineNo) throws HashSetException {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            sb.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new HashSetException(name + " line " + lineNo + ": unterminated quoted field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            sb.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(c);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new HashSetException(name + " line " + lineNo + ": text after a closing quote at column " + (i + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    sb.append(line.charAt(i++));
                }
            }
            out.add(sb.toString());
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }
}
