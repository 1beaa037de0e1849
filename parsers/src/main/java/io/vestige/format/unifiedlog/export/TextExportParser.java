package io.vestige.format.unifiedlog.export;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.format.unifiedlog.LogEventSink;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default {@code log show} text style: a header {@code Timestamp Thread Type Activity PID TTL},
 * then one event per line, {@code <ts> 0x<thread> <Type> 0x<activity> <pid> <ttl> <process>: (<sender>)
 * [<subsystem>:<category>] <message>}, with messages continuing on the following lines until the
 * next timestamp, and a summary footer after a line of dashes (FORMATS §6.6).
 */
final class TextExportParser {
    private static final Pattern START = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?)\\s+"
                    + "(0x[0-9a-fA-F]+)\\s+(\\S+)\\s+(0x[0-9a-fA-F]+)\\s+(\\d+)\\s+(\\d+)\\s+(.*)$");
    private static final Pattern TS_ONLY = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}.*");

    private final EvidencePath where;
    private final LogEventSink sink;
    private final Diagnostics diags;
    private final DecodeStats.Counter c;

    private LogEvent.Builder pending;
    private StringBuilder message;

    TextExportParser(EvidencePath where, LogEventSink sink, Diagnostics diags, DecodeStats.Counter c) {
        this.where = where;
        this.sink = sink;
        this.diags = diags;
        this.c = c;
    }

    static boolean isEventStart(String line) {
        return START.matcher(line).matches();
    }

    void parse(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        long lineNo = 0;
        String heldDashes = null;
        boolean header = false;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (heldDashes != null) {
                if (line.startsWith("Log") && line.contains("Default:")) {
                    break; // the summary footer: no more events
                }
                append(heldDashes);
                heldDashes = null;
            }
            if (!header && pending == null && line.startsWith("Timestamp") && line.contains("Thread")) {
                header = true;
                continue;
            }
            Matcher m = START.matcher(line);
            if (m.matches()) {
                flush();
                start(m, lineNo);
                continue;
            }
            if (line.length() >= 20 && line.chars().allMatch(ch -> ch == '-')) {
                heldDashes = line;
                continue;
            }
            if (pending != null) {
                append(line);
            } else if (!line.isBlank() && TS_ONLY.matcher(line).matches()) {
                c.entriesRead++;
                c.decodeErrors++;
                diags.add(Diagnostic.warning(where.toString(), "log export text line " + lineNo, -1,
                        "line starts with a timestamp but does not have the event columns; skipped"));
            }
        }
        flush();
    }

    private void append(String line) {
        if (pending != null) {
            message.append('\n').append(line);
        }
    }

    private void start(Matcher m, long lineNo) {
        c.entriesRead++;
        LogEvent.Builder b = LogEvent.builder();
        String ts = m.group(1);
        try {
            b.timestamp(LogTimestamps.parse(ts));
        } catch (IllegalArgumentException e) {
            b.extra("timestamp", ts);
        }
        Long tid = hex(m.group(2));
        if (tid == null) {
            b.extra("threadText", m.group(2));
        }
        b.threadID(tid);
        String type = m.group(3);
        switch (type) {
            case "Default", "Info", "Debug", "Error", "Fault" -> {
                b.eventType("logEvent");
                b.messageType(type);
            }
            case "Activity" -> b.eventType("activityCreateEvent");
            case "Signpost" -> b.eventType("signpostEvent");
            case "State", "Statedump" -> b.eventType("stateEvent");
            case "Timesync" -> b.eventType("timesyncEvent");
            case "Loss" -> b.eventType("lossEvent");
            default -> b.extra("type", type);
        }
        Long aid = hex(m.group(4));
        if (aid == null) {
            b.extra("activityText", m.group(4));
        }
        b.activityIdentifier(aid);
        try {
            b.processID(Long.parseLong(m.group(5)));
            b.extra("ttl", Long.parseLong(m.group(6)));
        } catch (NumberFormatException e) {
            b.extra("pidText", m.group(5));
        }
        String rest = m.group(7);
        // <process>: (<sender>) [<subsystem>:<category>] <message>
        int colon = rest.indexOf(": ");
        if (colon < 0 && rest.endsWith(":")) {
            colon = rest.length() - 1;
        }
        if (colon > 0) {
            b.extra("processName", rest.substring(0, colon));
            rest = rest.substring(Math.min(rest.length(), colon + 2));
            if (rest.startsWith("(")) {
                int close = rest.indexOf(") ");
                if (close < 0 && rest.endsWith(")")) {
                    close = rest.length() - 1;
                }
                if (close > 0) {
                    b.extra("senderName", rest.substring(1, close));
                    rest = rest.substring(Math.min(rest.length(), close + 2));
                }
            }
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close > 0) {
                    String sc = rest.substring(1, close);
                    int k = sc.indexOf(':');
                    if (k >= 0) {
                        b.subsystem(sc.substring(0, k));
                        b.category(sc.substring(k + 1));
                    } else {
                        b.subsystem(sc);
                    }
                    rest = rest.substring(close + 1);
                    if (rest.startsWith(" ")) {
                        rest = rest.substring(1);
                    }
                }
            }
        }
        b.source(where.then("line", Long.toString(lineNo)));
        pending = b;
        message = new StringBuilder(rest);
    }

    private static Long hex(String s) {
        try {
            return Long.parseUnsignedLong(s.substring(2), 16);
        } catch (NumberFormatException e) {
            return null; // more than 64 bits
        }
    }

    private void flush() throws IOException {
        if (pending == null) {
            return;
        }
        pending.eventMessage(message.toString());
        LogEvent e = pending.build();
        pending = null;
        message = null;
        c.fullyDecoded++;
        c.eventsEmitted++;
        sink.accept(e);
    }
}
