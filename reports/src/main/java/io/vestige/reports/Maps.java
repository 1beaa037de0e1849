package io.vestige.reports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Sorted, null-tolerant map copies so that every rendering is deterministic. */
final class Maps {
    private Maps() {
    }

    static Map<String, Object> sorted(Map<String, ?> m) {
        if (m == null) {
            return Map.of();
        }
        TreeMap<String, Object> t = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k != null && v != null) {
                t.put(k, v);
            }
        });
        return Collections.unmodifiableMap(t);
    }

    static Map<String, String> sortedStrings(Map<String, String> m) {
        if (m == null) {
            return Map.of();
        }
        TreeMap<String, String> t = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k != null && v != null) {
                t.put(k, v);
            }
        });
        return Collections.unmodifiableMap(t);
    }
}
