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
                case NDJSON -> readNdjson(in, where, sink, diags, c, src.describe());
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

    private static void readNdjson(InputStream in, EvidencePath where, LogEventSink sink, Diagnostics diags,
                                   DecodeStats.Counter c, String name) throws IOException {
        LineReader r = new LineReader(in, 64 << 20);
        long lineNo = 0;
        while (r.next()) {
            lineNo++;
            if (r.tooLong) {
                c.entriesRead++;
                c.decodeErrors++;
                diags.add(Diagnostic.warning(where.toString(), "log export NDJSON line " + lineNo, -1,
                        "line longer than 64 MiB skipped"));
                continue;
            }
            if (r.isBlank()) {
                continue;
            }
            c.entriesRead++;
            LogEvent.Builder b = LogEvent.builder();
            try (JsonParser p = FACTORY.createParser(r.buf, r.off, r.len)) {
                p.setCodec(MAPPER);
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new com.fasterxml.jackson.core.JsonParseException(p, "line is not a JSON object");
                }
                readObject(p, b);
            } catch (JsonProcessingException e) {
                c.decodeErrors++;
                diags.add(Diagnostic.warning(where.toString(), "log export NDJSON line " + lineNo, -1,
                        "malformed line skipped: " + e.getOriginalMessage()));
                continue;
            }
            b.source(where.then("line", Long.toString(lineNo)));
            emit(b, sink, c);
        }
    }

    /** Splits a byte stream into lines without decoding them (Jackson parses the bytes directly). */
    static final class LineReader {
        private final InputStream in;
        private final int max;
        byte[] buf;
        int off;
        int len;
        boolean tooLong;
        private int start;
        private int end;
        private boolean eof;

        LineReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
            this.buf = new byte[Math.max(16, Math.min(1 << 16, max))];
        }

        boolean isBlank() {
            for (int i = off; i < off + len; i++) {
                byte x = buf[i];
                if (x != ' ' && x != '\t' && x != '\r') {
                    return false;
                }
            }
            return true;
        }

        /** Advances to the next line; {@code false} at the end of the stream. */
        boolean next() throws IOException {
            tooLong = false;
            boolean skipping = false;
            int scan = start;
            while (true) {
                for (int i = scan; i < end; i++) {
                    if (buf[i] == '\n') {
                        off = start;
                        len = i - start;
                        start = i + 1;
                        if (skipping || len > max) {
                            tooLong = true;
                        }
                        return true;
                    }
                }
                if (eof) {
                    if (start < end || skipping) {
                        off = start;
                        len = end - start;
                        start = end;
                        tooLong = skipping;
                        return true;
                    }
                    return false;
                }
                // compact, grow if needed, refill
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    if (buf.length >= max) {
                        skipping = true; // drop this line's bytes, keep looking for its end
                        end = 0;
                    } else {
                        buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
                    }
                }
                scan = end;
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
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
