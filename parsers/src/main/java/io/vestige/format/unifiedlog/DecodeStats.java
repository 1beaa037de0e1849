package io.vestige.format.unifiedlog;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Completeness counters for one log source, shown in the report so that an examiner can see how
 * much of the source was understood: entries read, entries decoded in full, entries whose format
 * string could not be found (uuidtext or dsc file absent), unsupported items by type, and damage.
 *
 * @param source              what was read (file, store, export)
 * @param entriesRead         records met in the source
 * @param eventsEmitted       events handed to the sink
 * @param fullyDecoded        events with a resolved format string and every argument rendered
 * @param missingFormatStrings events whose format string was not available
 * @param unsupported         items that were skipped or only partly rendered, by type
 * @param decodeErrors        damaged structures skipped (each also has a diagnostic)
 * @param bytesRead           source bytes consumed (compressed size for tracev3)
 */
public record DecodeStats(String source, long entriesRead, long eventsEmitted, long fullyDecoded,
                          long missingFormatStrings, Map<String, Long> unsupported, long decodeErrors, long bytesRead) {

    public DecodeStats {
        unsupported = Collections.unmodifiableMap(new TreeMap<>(unsupported));
    }

    /** The sum of two counter sets (for a store made of many files). */
    public DecodeStats plus(DecodeStats o) {
        Map<String, Long> u = new TreeMap<>(unsupported);
        o.unsupported.forEach((k, v) -> u.merge(k, v, Long::sum));
        return new DecodeStats(source, entriesRead + o.entriesRead, eventsEmitted + o.eventsEmitted,
                fullyDecoded + o.fullyDecoded, missingFormatStrings + o.missingFormatStrings, u,
                decodeErrors + o.decodeErrors, bytesRead + o.bytesRead);
    }

    /** The counts added since {@code earlier} (same source), relabelled as {@code label}. */
    public DecodeStats since(DecodeStats earlier, String label) {
        Map<String, Long> u = new TreeMap<>(unsupported);
        earlier.unsupported.forEach((k, v) -> {
            long left = u.getOrDefault(k, 0L) - v;
            if (left <= 0) {
                u.remove(k);
            } else {
                u.put(k, left);
            }
        });
        return new DecodeStats(label, entriesRead - earlier.entriesRead, eventsEmitted - earlier.eventsEmitted,
                fullyDecoded - earlier.fullyDecoded, missingFormatStrings - earlier.missingFormatStrings, u,
                decodeErrors - earlier.decodeErrors, bytesRead - earlier.bytesRead);
    }

    public static DecodeStats empty(String source) {
        return new DecodeStats(source, 0, 0, 0, 0, Map.of(), 0, 0);
    }

    /** One line for stderr. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": read ").append(entriesRead).append(", emitted ").append(eventsEmitted)
                .append(", fully decoded ").append(fullyDecoded).append(", missing format strings ")
                .append(missingFormatStrings).append(", decode errors ").append(decodeErrors);
        if (!unsupported.isEmpty()) {
            sb.append(", unsupported ").append(unsupported);
        }
        return sb.toString();
    }

    /** Mutable counters filled while reading; {@link #snapshot()} gives the record. */
    public static final class Counter {
        private final String source;
        public long entriesRead;
        public long eventsEmitted;
        public long fullyDecoded;
        public long missingFormatStrings;
        public long decodeErrors;
        public long bytesRead;
        private final Map<String, Long> unsupported = new TreeMap<>();

        public Counter(String source) {
            this.source = source;
        }

        public void unsupported(String type) {
            unsupported.merge(type, 1L, Long::sum);
        }

        public DecodeStats snapshot() {
            return new DecodeStats(source, entriesRead, eventsEmitted, fullyDecoded, missingFormatStrings,
                    unsupported, decodeErrors, bytesRead);
        }
    }
}
