package io.vestige.format.unifiedlog.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vestige.evidence.EvidencePath;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.LogEventSink;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Streams the events of a {@code log show} export: {@code --style json} (one array, read with
 * Jackson's streaming parser and never materialised), {@code --style ndjson} (one object per line)
 * and the default text style. Preamble lines such as "Filtering the log data using …" are skipped.
 * Integers are read as unsigned 64-bit values from their text, never through {@code double}
 * (FORMATS §6.6). Damage ends or skips the affected record with a {@link Diagnostic}.
 */
public final class LogExportReader {

    /** The export styles {@code log show --style} writes. */
    public enum Style { JSON, NDJSON, TEXT }

    /** Where the events start and in which style. */
    public record Detected(Style style, long offset) {
    }

    private static final int HEAD = 64 * 1024;
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 << 20).maxNestingDepth(64).build())
            .build();
    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private LogExportReader() {
    }

    /** Finds the style of an export from its first 64 KiB, skipping {@code log}'s preamble lines. */
    public static Detected detect(ByteSource src) throws IOException {
        byte[] head = src.readAtMost(0, HEAD);
        int pos = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            pos = 3;
        }
        int lines = 0;
        while (pos < head.length && lines < 200) {
            int end = pos;
            while (end < head.length && head[end] != '\n') {
                end++;
            }
            int s = pos;
            while (s < end && (head[s] == ' ' || head[s] == '\t' || head[s] == '\r')) {
                s++;
            }
            if (s < end) {
                byte c = head[s];
                if (c == '[') {
                    return new Detected(Style.JSON, s);
                }
                if (c == '{') {
                    return new Detected(Style.NDJSON, s);
                }
                String line = new String(head, s, Math.min(end - s, 200), StandardCharsets.UTF_8);
                if (line.startsWith("Timestamp") && line.contains("Thread") && line.contains("Type")) {
                    return new Detected(Style.TEXT, pos);
                }
                if (TextExportParser.isEventStart(line)) {
                    return new Detected(Style.TEXT, pos);
                }
            }
            pos = end + 1;
            lines++;
        }
        throw new UnsupportedFormatException("log export", 0,
                "not a log show export (no JSON array, NDJSON object or text header in the first " + HEAD + " bytes)");
    }

    /** Reads every event of an export into {@code sink}; damage becomes diagnostics in {@code diags}. */
    public static DecodeStats read(ByteSource src, EvidencePath where, LogEventSink sink, Diagnostics diags)
            throws IOException {
        Detected d = detect(src);
        DecodeStats.Counter c = new DecodeStats.Counter(where.toString());
        c.bytesRead = src.size();
        try (InputStream in = ByteSources.stream(src, d.offset(), src.size() - d.offset())) {
            switch (d.style()) {
                case JSON -> readJsonArray(in, d.offset(), where, sink, diags, c);
                case NDJSON -> readNdjson(src, d.offset(), where, sink, diags, c);
                case TEXT -> new TextExportParser(where, sink, diags, c).parse(in);
                default -> throw new IllegalStateException();
            }
        }
        return c.snapshot();
    }

    private static void readJsonArray(InputStream in, long base, EvidencePath where, LogEventSink sink,
                                      Diagnostics diags, DecodeStats.Counter c) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            p.setCodec(MAPPER);
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ParseException("log export JSON", base, "expected '[' at the start of the array");
            }
            while (true) {
                JsonToken t;
                try {
                    t = p.nextToken();
                } catch (JsonProcessingException e) {
                    damaged(diags, c, where, base + p.currentLocation().getByteOffset(), e);
                    return;
                }
                if (t == null) {
                    diags.add(Diagnostic.warning(where.toString(), "log export JSON", -1,
                            "array not closed: export truncated after " + c.entriesRead + " events"));
                    return;
                }
                if (t == JsonToken.END_ARRAY) {
                    return;
                }
                long off = base + p.currentTokenLocation().getByteOffset();
                if (t != JsonToken.START_OBJECT) {
                    c.entriesRead++;
                    c.decodeErrors++;
                    diags.add(Diagnostic.warning(where.toString(), "log export JSON", off, "array element is not an object: " + t));
                    p.skipChildren();
                    continue;
                }
                c.entriesRead++;
                LogEvent.Builder b = LogEvent.builder();
                try {
                    readObject(p, b);
                } catch (JsonProcessingException e) {
                    damaged(diags, c, where, off, e);
                    return;
                }
                b.source(where.then("offset", "0x" + Long.toHexString(off)));
                emit(b, sink, c);
            }
        }
    }

    private static void damaged(Diagnostics diags, DecodeStats.Counter c, EvidencePath where, long off, Exception e) {
        c.decodeErrors++;
        String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        diags.add(Diagnostic.warning(where.toString(), "log export JSON", off,
                "malformed JSON, reading stopped after " + c.eventsEmitted + " events: " + m));
    }

    /**
     * NDJSON: one Jackson parser streams the root-level objects (fast path); when a line is damaged
     * the parser is restarted after that line, so one bad line costs one record.
     */
    private static void readNdjson(ByteSource src, long base, EvidencePath where, LogEventSink sink, Diagnostics diags,
                                   DecodeStats.Counter c) throws IOException {
        long pos = base;
        long linesBefore = 0;
        while (pos < src.size()) {
            long recordLine = -1;
            try (InputStream in = ByteSources.stream(src, pos, src.size() - pos);
                 JsonParser p = FACTORY.createParser(in)) {
                p.setCodec(MAPPER);
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    recordLine = linesBefore + p.currentTokenLocation().getLineNr();
                    c.entriesRead++;
                    if (t != JsonToken.START_OBJECT) {
                        throw new com.fasterxml.jackson.core.JsonParseException(p, "line is not a JSON object");
                    }
                    LogEvent.Builder b = LogEvent.builder();
                    readObject(p, b);
                    b.source(where.then("line", Long.toString(recordLine)));
                    emit(b, sink, c);
                    recordLine = -1;
                }
                return;
            } catch (JsonProcessingException e) {
                long errLine = linesBefore + (e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr()));
                long first = recordLine > 0 ? recordLine : errLine;
                if (recordLine < 0) {
                    c.entriesRead++;
                }
                c.decodeErrors++;
                diags.add(Diagnostic.warning(where.toString(), "log export NDJSON line " + first
                        + (errLine > first ? "-" + errLine : ""), -1, "malformed line skipped: " + e.getOriginalMessage()));
                // restart after the line where the error was found
                long skip = errLine - linesBefore;
                long q = pos;
                try (InputStream in = new java.io.BufferedInputStream(ByteSources.stream(src, pos, src.size() - pos), 1 << 16)) {
                    long seen = 0;
                    int ch;
                    while (seen < skip && (ch = in.read()) >= 0) {
                        q++;
                        if (ch == '\n') {
                            seen++;
                        }
                    }
                }
                if (q <= pos) {
                    return;
                }
                pos = q;
                linesBefore = errLine;
            }
        }
    }

    private static void emit(LogEvent.Builder b, LogEventSink sink, DecodeStats.Counter c) throws IOException {
        LogEvent e = b.build();
        if (e.eventMessage() != null) {
            c.fullyDecoded++;
        }
        c.eventsEmitted++;
        sink.accept(e);
    }

    /** Reads one event object; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    static void readObject(JsonParser p, LogEvent.Builder b) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                if (name.equals("source")) {
                    b.extra("source", null);
                }
                continue;
            }
            switch (name) {
                case "timestamp" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        String s = p.getText();
                        try {
                            b.timestamp(LogTimestamps.parse(s));
                        } catch (IllegalArgumentException e) {
                            b.extra("timestamp", s);
                        }
                    } else {
                        b.extra(name, readValue(p));
                    }
                }
                case "timezoneName" -> b.timezoneName(text(p, b, name));
                case "eventType" -> b.eventType(text(p, b, name));
                case "messageType" -> b.messageType(text(p, b, name));
                case "eventMessage" -> b.eventMessage(text(p, b, name));
                case "formatString" -> b.formatString(text(p, b, name));
                case "subsystem" -> b.subsystem(text(p, b, name));
                case "category" -> b.category(text(p, b, name));
                case "processImagePath" -> b.processImagePath(text(p, b, name));
                case "senderImagePath" -> b.senderImagePath(text(p, b, name));
                case "signpostName" -> b.signpostName(text(p, b, name));
                case "signpostScope" -> b.signpostScope(text(p, b, name));
                case "signpostType" -> b.signpostType(text(p, b, name));
                case "machTimestamp" -> b.machTimestamp(u64(p, b, name));
                case "traceID" -> b.traceID(u64(p, b, name));
                case "threadID" -> b.threadID(u64(p, b, name));
                case "activityIdentifier" -> b.activityIdentifier(u64(p, b, name));
                case "parentActivityIdentifier" -> b.parentActivityIdentifier(u64(p, b, name));
                case "processID" -> b.processID(u64(p, b, name));
                case "userID" -> b.userID(u64(p, b, name));
                case "senderProgramCounter" -> b.senderProgramCounter(u64(p, b, name));
                case "signpostID" -> b.signpostID(u64(p, b, name));
                case "processImageUUID" -> b.processImageUUID(uuid(p, b, name));
                case "senderImageUUID" -> b.senderImageUUID(uuid(p, b, name));
                case "bootUUID" -> b.bootUUID(uuid(p, b, name));
                case "backtrace" -> {
                    JsonNode n = p.readValueAsTree();
                    List<LogEvent.BacktraceFrame> frames = backtrace(n);
                    if (frames == null) {
                        b.extra(name, MAPPER.treeToValue(n, Object.class));
                    } else {
                        b.backtrace(frames);
                    }
                }
                default -> b.extra(name, readValue(p));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a field name or '}', found " + t);
        }
    }

    private static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return new BigInteger(p.getText());
        }
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        JsonNode n = p.readValueAsTree();
        return MAPPER.treeToValue(n, Object.class);
    }

    private static String text(JsonParser p, LogEvent.Builder b, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        b.extra(name, readValue(p));
        return null;
    }

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static Long u64(JsonParser p, LogEvent.Builder b, String name) throws IOException {
        JsonToken t = p.currentToken();
        String s = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING ? p.getText().trim() : null;
        if (s != null) {
            try {
                BigInteger v = s.startsWith("0x") || s.startsWith("0X") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
                if (v.signum() < 0 && v.bitLength() < 64) {
                    return v.longValue(); // some writers print signed values (e.g. userID -1)
                }
                if (v.signum() >= 0 && v.compareTo(U64_MAX) <= 0) {
                    return v.longValue();
                }
            } catch (NumberFormatException e) {
                // kept verbatim below
            }
        }
        b.extra(name, readValue(p));
        return null;
    }

    private static UUID uuid(JsonParser p, LogEvent.Builder b, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String s = p.getText();
            UUID u = LogTimestamps.parseUuid(s);
            if (u != null) {
                return u;
            }
            if (s.isEmpty()) {
                return null;
            }
        }
        b.extra(name, readValue(p));
        return null;
    }

    private static List<LogEvent.BacktraceFrame> backtrace(JsonNode n) {
        JsonNode frames = n.get("frames");
        if (frames == null || !frames.isArray()) {
            return null;
        }
        List<LogEvent.BacktraceFrame> out = new ArrayList<>();
        for (JsonNode f : frames) {
            JsonNode off = f.get("imageOffset");
            JsonNode u = f.get("imageUUID");
            UUID uuid = u == null ? null : LogTimestamps.parseUuid(u.asText());
            if (off == null || !off.canConvertToLong()) {
                return null;
            }
            out.add(new LogEvent.BacktraceFrame(uuid, off.asLong()));
        }
        return out;
    }
}
