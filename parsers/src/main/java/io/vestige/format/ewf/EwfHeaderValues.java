package io.vestige.format.ewf;

import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The acquisition metadata of EWF {@code header2}/{@code header} sections and of EWF2 case/device
 * objects: a zlib stream of tab-separated text (line 1 object count, line 2 {@code main}, line 3 keys,
 * line 4 values), per libyal EWF section 3.1-3.3 and EWF2 "Serialized object data".
 */
final class EwfHeaderValues {
    private EwfHeaderValues() {
    }

    /** Inflates a zlib stream, bounded by {@code maxMetadataSize}. */
    static byte[] inflate(byte[] compressed, long offset, String structure, ParseLimits limits)
            throws java.io.IOException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            long max = limits.maxMetadataSize();
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new MalformedException(structure, offset, "zlib stream ends early");
                }
                out.write(buf, 0, n);
                if (out.size() > max) {
                    throw new LimitExceededException(structure, offset, "maxMetadataSize", max, out.size());
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new MalformedException(structure, offset, "zlib: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** Decodes text: UTF-16 with a byte-order mark when there is one, else {@code fallback}. */
    static String text(byte[] b, Charset fallback) {
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        }
        return new String(b, fallback);
    }

    /** Key to value of the {@code main} category (keys and values on the lines after "main"). */
    static Map<String, String> parse(String text) {
        String[] lines = text.replace("\r", "").split("\n", -1);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 2 < lines.length; i++) {
            if (lines[i].trim().equals("main")) {
                String[] keys = lines[i + 1].split("\t", -1);
                String[] vals = lines[i + 2].split("\t", -1);
                for (int k = 0; k < keys.length; k++) {
                    String key = keys[k].trim();
                    if (!key.isEmpty()) {
                        out.putIfAbsent(key, k < vals.length ? unescape(vals[k]) : "");
                    }
                }
                break;
            }
        }
        return out;
    }

    private static String unescape(String v) {
        // EWF2 serialized objects escape line feed, carriage return and tab as 0x01, 0x02, 0x03
        return v.replace('\u0001', '\n').replace('\u0002', '\r').replace('\u0003', '\t');
    }

    /**
     * A header time: decimal POSIX seconds ({@code header2}, linen, EWF2) or {@code "YYYY M D h m s"}
     * ({@code header}; the writer's local time, read here as UTC because the zone is not recorded).
     */
    static Instant time(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.chars().allMatch(Character::isDigit)) {
                long secs = Long.parseLong(s);
                return secs == 0 ? null : Instant.ofEpochSecond(secs);
            }
            String[] p = s.split("\\s+");
            if (p.length >= 6) {
                return LocalDateTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                        Integer.parseInt(p[3]), Integer.parseInt(p[4]), Integer.parseInt(p[5])).toInstant(ZoneOffset.UTC);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Maps header keys to Vestige's metadata names (times as ISO-8601 UTC). */
    static Map<String, String> toMetadata(Map<String, String> v) {
        Map<String, String> m = new TreeMap<>();
        put(m, "description", first(v, "a", "nm"));
        put(m, "caseNumber", v.get("c") != null ? v.get("c") : v.get("cn"));
        put(m, "evidenceNumber", v.get("n") != null ? v.get("n") : v.get("en"));
        put(m, "examiner", v.get("e") != null ? v.get("e") : v.get("ex"));
        put(m, "notes", v.get("t") != null ? v.get("t") : v.get("nt"));
        put(m, "model", v.get("md"));
        put(m, "serial", v.get("sn"));
        put(m, "softwareVersion", v.get("av"));
        put(m, "os", v.get("ov") != null ? v.get("ov") : v.get("os"));
        Instant acq = time(first(v, "m", "tt"));
        Instant sys = time(first(v, "u", "at"));
        if (acq != null) {
            m.put("acquisitionDate", acq.toString());
        }
        if (sys != null) {
            m.put("systemDate", sys.toString());
        }
        String r = v.get("r");
        if (r != null) {
            switch (r.trim()) {
                case "b" -> m.put("compression", "best");
                case "f" -> m.put("compression", "fast");
                case "n" -> m.put("compression", "none");
                default -> { }
            }
        }
        String p = v.get("p");
        if (p != null && !p.isBlank() && !p.trim().equals("0")) {
            m.put("passwordHash", p.trim());
        }
        return m;
    }

    private static String first(Map<String, String> v, String a, String b) {
        String x = v.get(a);
        return x != null ? x : v.get(b);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }
}
