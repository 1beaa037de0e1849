package io.vestige.format.unifiedlog;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link LogEvent} as one JSON object with the field names and value shapes of
 * {@code log show --style ndjson} (FORMATS §6.6): UUIDs upper-case, 64-bit ids as unsigned JSON
 * integers, {@code timestamp} as {@code YYYY-MM-DD hh:mm:ss.ffffff+hhmm} (UTC here, so that output is
 * deterministic) and, because Apple's text keeps only microseconds, the exact instant in
 * {@code timestampNs} (nanoseconds since 1970).
 */
public final class LogEventJson {
    private LogEventJson() {
    }

    public static void write(JsonGenerator g, LogEvent e) throws IOException {
        g.writeStartObject();
        if (e.timestamp() != null) {
            g.writeStringField("timestamp", timestampText(e.timestamp()));
            g.writeFieldName("timestampNs");
            g.writeNumber(BigInteger.valueOf(e.timestamp().getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
                    .add(BigInteger.valueOf(e.timestamp().getNano())));
        } else {
            g.writeNullField("timestamp");
        }
        str(g, "timezoneName", e.timezoneName());
        u64(g, "machTimestamp", e.machTimestamp());
        // the core fields are always present (null when unknown) so that consumers can rely on them
        always(g, "traceID", e.traceID());
        alwaysStr(g, "eventType", e.eventType());
        alwaysStr(g, "messageType", e.messageType());
        alwaysStr(g, "eventMessage", e.eventMessage());
        str(g, "formatString", e.formatString());
        alwaysStr(g, "subsystem", e.subsystem());
        alwaysStr(g, "category", e.category());
        u64(g, "threadID", e.threadID());
        u64(g, "activityIdentifier", e.activityIdentifier());
        u64(g, "parentActivityIdentifier", e.parentActivityIdentifier());
        always(g, "processID", e.processID());
        u64(g, "userID", e.userID());
        alwaysStr(g, "processImagePath", e.processImagePath());
        if (e.processImageUUID() == null) {
            g.writeNullField("processImageUUID");
        } else {
            uuid(g, "processImageUUID", e.processImageUUID());
        }
        str(g, "senderImagePath", e.senderImagePath());
        uuid(g, "senderImageUUID", e.senderImageUUID());
        u64(g, "senderProgramCounter", e.senderProgramCounter());
        uuid(g, "bootUUID", e.bootUUID());
        u64(g, "signpostID", e.signpostID());
        str(g, "signpostName", e.signpostName());
        str(g, "signpostScope", e.signpostScope());
        str(g, "signpostType", e.signpostType());
        if (!e.backtrace().isEmpty()) {
            g.writeObjectFieldStart("backtrace");
            g.writeArrayFieldStart("frames");
            for (LogEvent.BacktraceFrame f : e.backtrace()) {
                g.writeStartObject();
                g.writeNumberField("imageOffset", f.imageOffset());
                uuid(g, "imageUUID", f.imageUUID());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        for (Map.Entry<String, Object> x : e.extra().entrySet()) {
            g.writeFieldName(x.getKey());
            g.writeObject(x.getValue());
        }
        if (e.source() != null) {
            g.writeStringField("vestigeSource", e.source().toString());
        }
        g.writeEndObject();
    }

    /** Apple's {@code log} timestamp text for an instant, in UTC, microseconds. */
    public static String timestampText(Instant t) {
        LocalDateTime l = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        return String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d+0000", l.getYear(), l.getMonthValue(),
                l.getDayOfMonth(), l.getHour(), l.getMinute(), l.getSecond(), l.getNano() / 1000);
    }

    private static void str(JsonGenerator g, String n, String v) throws IOException {
        if (v != null) {
            g.writeStringField(n, v);
        }
    }

    private static void alwaysStr(JsonGenerator g, String n, String v) throws IOException {
        if (v == null) {
            g.writeNullField(n);
        } else {
            g.writeStringField(n, v);
        }
    }

    private static void always(JsonGenerator g, String n, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(n);
        } else {
            u64(g, n, v);
        }
    }

    private static void uuid(JsonGenerator g, String n, UUID v) throws IOException {
        if (v != null) {
            g.writeStringField(n, v.toString().toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static void u64(JsonGenerator g, String n, Long v) throws IOException {
        if (v == null) {
            return;
        }
        g.writeFieldName(n);
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
        }
    }
}
