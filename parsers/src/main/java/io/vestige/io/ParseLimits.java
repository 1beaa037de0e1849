package io.vestige.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every bound that protects the parsers from hostile input, in one immutable, documented object.
 * Each count or length read from disk is checked against the bytes that remain and against one of
 * these settings before anything is allocated or looped over. Settings are named so that error
 * messages and the command line ({@code --limit name=N}) speak the same language.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>name</th><th>default</th><th>bounds</th></tr>
 * <tr><td>maxTableEntries</td><td>16 Mi</td><td>entries in one chunk/extent/partition table</td></tr>
 * <tr><td>maxChunkSize</td><td>64 MiB</td><td>decompressed size of one chunk or block run</td></tr>
 * <tr><td>maxMetadataSize</td><td>64 MiB</td><td>one metadata blob held in memory (plist, header, blob)</td></tr>
 * <tr><td>maxTreeDepth</td><td>64</td><td>B-tree or directory nesting depth</td></tr>
 * <tr><td>maxDirectoryEntries</td><td>4 Mi</td><td>children of one directory held at once</td></tr>
 * <tr><td>maxArchiveMembers</td><td>16 Mi</td><td>members indexed in one archive</td></tr>
 * <tr><td>maxNameLength</td><td>64 KiB</td><td>one file name or path</td></tr>
 * <tr><td>maxXattrSize</td><td>64 MiB</td><td>one extended attribute held in memory</td></tr>
 * <tr><td>maxSegments</td><td>65536</td><td>files in one multi-segment set</td></tr>
 * <tr><td>maxRecords</td><td>1 Gi</td><td>records read from one stream before giving up</td></tr>
 * <tr><td>maxRecursion</td><td>16</td><td>nesting of containers inside containers</td></tr>
 * </table>
 */
public final class ParseLimits {
    private static final Map<String, Long> DEFAULTS;

    static {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("maxTableEntries", 16L << 20);
        m.put("maxChunkSize", 64L << 20);
        m.put("maxMetadataSize", 64L << 20);
        m.put("maxTreeDepth", 64L);
        m.put("maxDirectoryEntries", 4L << 20);
        m.put("maxArchiveMembers", 16L << 20);
        m.put("maxNameLength", 64L << 10);
        m.put("maxXattrSize", 64L << 20);
        m.put("maxSegments", 65536L);
        m.put("maxRecords", 1L << 30);
        m.put("maxRecursion", 16L);
        DEFAULTS = Collections.unmodifiableMap(m);
    }

    private static final ParseLimits DEFAULT = new ParseLimits(DEFAULTS);

    private final Map<String, Long> values;

    private ParseLimits(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ParseLimits defaults() {
        return DEFAULT;
    }

    /** A copy with one setting changed; unknown names are rejected so that typos are not silent. */
    public ParseLimits with(String name, long value) {
        Objects.requireNonNull(name);
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("unknown limit '" + name + "'; known: " + DEFAULTS.keySet());
        }
        if (value < 0) {
            throw new IllegalArgumentException("limit " + name + " must be >= 0");
        }
        Map<String, Long> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new ParseLimits(m);
    }

    /** All settings in documentation order. */
    public Map<String, Long> asMap() {
        return values;
    }

    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown limit '" + name + "'");
        }
        return v;
    }

    public long maxTableEntries() { return values.get("maxTableEntries"); }
    public long maxChunkSize() { return values.get("maxChunkSize"); }
    public long maxMetadataSize() { return values.get("maxMetadataSize"); }
    public int maxTreeDepth() { return (int) Math.min(Integer.MAX_VALUE, values.get("maxTreeDepth")); }
    public long maxDirectoryEntries() { return values.get("maxDirectoryEntries"); }
    public long maxArchiveMembers() { return values.get("maxArchiveMembers"); }
    public int maxNameLength() { return (int) Math.min(Integer.MAX_VALUE, values.get("maxNameLength")); }
    public long maxXattrSize() { return values.get("maxXattrSize"); }
    public int maxSegments() { return (int) Math.min(Integer.MAX_VALUE, values.get("maxSegments")); }
    public long maxRecords() { return values.get("maxRecords"); }
    public int maxRecursion() { return (int) Math.min(Integer.MAX_VALUE, values.get("maxRecursion")); }

    /**
     * Throws {@link LimitExceededException} when {@code found} (treated as unsigned) exceeds the
     * named setting; returns {@code found} otherwise, so it can be used inline.
     */
    public long check(String setting, long found, String structure, long offset) throws LimitExceededException {
        long limit = get(setting);
        if (found < 0 || found > limit) {
            throw new LimitExceededException(structure, offset, setting, limit, found);
        }
        return found;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParseLimits && ((ParseLimits) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ParseLimits" + values;
    }
}
