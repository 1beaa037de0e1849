package io.vestige.format.plist;

import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads Apple property lists, XML ({@code <plist version="1.0">}) and binary ({@code bplist00}),
 * into plain Java values:
 *
 * <table>
 * <caption>Value mapping</caption>
 * <tr><th>plist</th><th>Java</th></tr>
 * <tr><td>dict</td><td>unmodifiable {@code Map<String, Object>} in file order</td></tr>
 * <tr><td>array, set</td><td>unmodifiable {@code List<Object>}</td></tr>
 * <tr><td>string</td><td>{@code String}</td></tr>
 * <tr><td>integer</td><td>{@code Long}, or {@code BigInteger} outside the long range</td></tr>
 * <tr><td>real</td><td>{@code Double}</td></tr>
 * <tr><td>true / false</td><td>{@code Boolean}</td></tr>
 * <tr><td>date</td><td>{@code Instant} (UTC)</td></tr>
 * <tr><td>data</td><td>{@code byte[]}</td></tr>
 * <tr><td>UID (binary, keyed archives)</td><td>{@link Uid}</td></tr>
 * <tr><td>null (binary)</td><td>{@link Null#NULL}</td></tr>
 * </table>
 *
 * Hostile input fails with a {@link ParseException} subtype: XML is read with DTDs and external
 * entities disabled (no XXE, no entity expansion), binary object counts, offsets and references are
 * checked against the file, cycles are rejected and nesting is bounded by {@link #MAX_DEPTH}.
 * Like Apple's readers, text after {@code </plist>} is ignored.
 *
 * <p>Sources: Apple {@code CFBinaryPList.c} (CF-1153.18, format comment and trailer), Apple DTD
 * {@code PropertyList-1.0.dtd}.
 */
public final class PropertyList {
    /** Deepest nesting of dicts and arrays accepted. */
    public static final int MAX_DEPTH = 512;

    private PropertyList() {
    }

    /** A {@code CF$UID} reference in an NSKeyedArchiver plist. */
    public record Uid(long value) {
    }

    /** The binary plist null object. */
    public enum Null { NULL }

    /** Parses an XML or binary plist with default limits. */
    public static Object parse(byte[] bytes) throws ParseException {
        return parse(bytes, ParseLimits.defaults());
    }

    /** Parses an XML or binary plist; its size is bounded by {@code maxMetadataSize}. */
    public static Object parse(byte[] bytes, ParseLimits limits) throws ParseException {
        limits.check("maxMetadataSize", bytes.length, "property list", 0);
        if (bytes.length >= 6 && bytes[0] == 'b' && bytes[1] == 'p' && bytes[2] == 'l' && bytes[3] == 'i'
                && bytes[4] == 's' && bytes[5] == 't') {
            if (bytes.length >= 8 && bytes[6] == '0' && bytes[7] == '0') {
                return new BinaryPlistReader(bytes).read();
            }
            throw new UnsupportedFormatException("binary plist", 0, "version '"
                    + new String(bytes, 6, Math.min(2, bytes.length - 6), java.nio.charset.StandardCharsets.ISO_8859_1)
                    + "' is not read (only bplist00)");
        }
        int i = XmlPlistReader.firstNonSpace(bytes);
        boolean utf16Bom = bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE);
        if (utf16Bom || i < bytes.length && bytes[i] == '<') {
            return XmlPlistReader.read(bytes);
        }
        if (i < bytes.length && (bytes[i] == '{' || bytes[i] == '(' || bytes[i] == '"')) {
            throw new UnsupportedFormatException("property list", i, "OpenStep/ASCII plists are not read");
        }
        throw new BadMagicException("property list", 0, "'bplist00' or '<?xml'/'<plist'",
                bytes.length == 0 ? "empty input" : String.format("0x%02x", bytes[0] & 0xff));
    }

    /** Parses a plist held in a byte source (bounded by {@code maxMetadataSize}). */
    public static Object parse(ByteSource source, ParseLimits limits) throws IOException {
        limits.check("maxMetadataSize", source.size(), "property list " + source.describe(), 0);
        return parse(source.readBytes(0, (int) source.size()), limits);
    }

    /** The root as a dict, or a {@link io.vestige.io.MalformedException} naming what it is. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseDict(byte[] bytes) throws ParseException {
        Object o = parse(bytes);
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw io.vestige.io.MalformedException.expected("property list", 0, "root object", "dict", typeName(o));
    }

    /**
     * A compact one-line rendering of a parsed value ({@code {key: value, …}}, {@code [a, b]}, data as
     * {@code <N bytes>}), cut at {@code maxChars} with an ellipsis. Keys keep their order.
     */
    public static String render(Object o, int maxChars) {
        StringBuilder sb = new StringBuilder();
        render(o, sb, maxChars, 0);
        return sb.length() > maxChars ? sb.substring(0, maxChars) + "\u2026" : sb.toString();
    }

    private static void render(Object o, StringBuilder sb, int max, int depth) {
        if (sb.length() > max) {
            return;
        }
        if (depth > MAX_DEPTH) {
            sb.append("\u2026");
        } else if (o instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > max) {
                    break;
                }
                sb.append(first ? "" : ", ").append(e.getKey()).append(": ");
                render(e.getValue(), sb, max, depth + 1);
                first = false;
            }
            sb.append('}');
        } else if (o instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size() && sb.length() <= max; i++) {
                sb.append(i == 0 ? "" : ", ");
                render(l.get(i), sb, max, depth + 1);
            }
            sb.append(']');
        } else if (o instanceof byte[] b) {
            sb.append('<').append(b.length).append(" bytes>");
        } else if (o instanceof Uid u) {
            sb.append("UID(").append(u).append(')');
        } else {
            sb.append(o instanceof Null || o == null ? "null" : o);
        }
    }

    /** The plist type name of a parsed value (for messages). */
    public static String typeName(Object o) {
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof List) {
            return "array";
        }
        if (o instanceof String) {
            return "string";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "integer";
        }
        if (o instanceof Double) {
            return "real";
        }
        if (o instanceof Boolean) {
            return "boolean";
        }
        if (o instanceof Instant) {
            return "date";
        }
        if (o instanceof byte[]) {
            return "data";
        }
        if (o instanceof Uid) {
            return "uid";
        }
        return "null";
    }
}
