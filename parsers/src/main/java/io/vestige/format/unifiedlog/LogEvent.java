package io.vestige.format.unifiedlog;

import io.vestige.evidence.EvidencePath;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One unified-log event, whether read from a {@code log show} export (JSON, NDJSON, text) or
 * decoded from a native tracev3 store. Field names follow Apple's {@code log show --style json}
 * output (FORMATS §6.6); absent fields are {@code null}. 64-bit identifiers ({@code traceID},
 * {@code threadID}, activity ids, {@code machTimestamp}, {@code senderProgramCounter}) are unsigned
 * values held in a {@code long}: render them with {@link Long#toUnsignedString(long)}.
 *
 * @param timestamp        UTC instant (nanoseconds where the source has them)
 * @param timezoneName     the zone name {@code log} printed, if any
 * @param machTimestamp    raw continuous-time ticks (not nanoseconds)
 * @param extra            further export fields kept verbatim (sorted by name): {@code lossCount}, {@code source} …
 * @param source           where the event was read: file and offset, or file and line number
 */
public record LogEvent(
        Instant timestamp,
        String timezoneName,
        Long machTimestamp,
        Long traceID,
        String eventType,
        String messageType,
        String eventMessage,
        String formatString,
        String subsystem,
        String category,
        Long threadID,
        Long activityIdentifier,
        Long parentActivityIdentifier,
        Long processID,
        Long userID,
        String processImagePath,
        UUID processImageUUID,
        String senderImagePath,
        UUID senderImageUUID,
        Long senderProgramCounter,
        UUID bootUUID,
        Long signpostID,
        String signpostName,
        String signpostScope,
        String signpostType,
        List<BacktraceFrame> backtrace,
        Map<String, Object> extra,
        EvidencePath source) {

    /** One frame of {@code backtrace.frames}: the image and the offset in it. */
    public record BacktraceFrame(UUID imageUUID, long imageOffset) {
    }

    public LogEvent {
        backtrace = backtrace == null ? List.of() : List.copyOf(backtrace);
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A mutable builder; readers reuse one per event. */
    public static final class Builder {
        private Instant timestamp;
        private String timezoneName;
        private Long machTimestamp;
        private Long traceID;
        private String eventType;
        private String messageType;
        private String eventMessage;
        private String formatString;
        private String subsystem;
        private String category;
        private Long threadID;
        private Long activityIdentifier;
        private Long parentActivityIdentifier;
        private Long processID;
        private Long userID;
        private String processImagePath;
        private UUID processImageUUID;
        private String senderImagePath;
        private UUID senderImageUUID;
        private Long senderProgramCounter;
        private UUID bootUUID;
        private Long signpostID;
        private String signpostName;
        private String signpostScope;
        private String signpostType;
        private List<BacktraceFrame> backtrace;
        private Map<String, Object> extra;
        private EvidencePath source;

        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder timezoneName(String v) { timezoneName = v; return this; }
        public Builder machTimestamp(Long v) { machTimestamp = v; return this; }
        public Builder traceID(Long v) { traceID = v; return this; }
        public Builder eventType(String v) { eventType = v; return this; }
        public Builder messageType(String v) { messageType = v; return this; }
        public Builder eventMessage(String v) { eventMessage = v; return this; }
        public Builder formatString(String v) { formatString = v; return this; }
        public Builder subsystem(String v) { subsystem = v; return this; }
        public Builder category(String v) { category = v; return this; }
        public Builder threadID(Long v) { threadID = v; return this; }
        public Builder activityIdentifier(Long v) { activityIdentifier = v; return this; }
        public Builder parentActivityIdentifier(Long v) { parentActivityIdentifier = v; return this; }
        public Builder processID(Long v) { processID = v; return this; }
        public Builder userID(Long v) { userID = v; return this; }
        public Builder processImagePath(String v) { processImagePath = v; return this; }
        public Builder processImageUUID(UUID v) { processImageUUID = v; return this; }
        public Builder senderImagePath(String v) { senderImagePath = v; return this; }
        public Builder senderImageUUID(UUID v) { senderImageUUID = v; return this; }
        public Builder senderProgramCounter(Long v) { senderProgramCounter = v; return this; }
        public Builder bootUUID(UUID v) { bootUUID = v; return this; }
        public Builder signpostID(Long v) { signpostID = v; return this; }
        public Builder signpostName(String v) { signpostName = v; return this; }
        public Builder signpostScope(String v) { signpostScope = v; return this; }
        public Builder signpostType(String v) { signpostType = v; return this; }
        public Builder backtrace(List<BacktraceFrame> v) { backtrace = v; return this; }
        public Builder source(EvidencePath v) { source = v; return this; }

        public Builder extra(String name, Object value) {
            Objects.requireNonNull(name);
            if (extra == null) {
                extra = new TreeMap<>();
            }
            extra.put(name, value);
            return this;
        }

        public LogEvent build() {
            return new LogEvent(timestamp, timezoneName, machTimestamp, traceID, eventType, messageType, eventMessage,
                    formatString, subsystem, category, threadID, activityIdentifier, parentActivityIdentifier, processID,
                    userID, processImagePath, processImageUUID, senderImagePath, senderImageUUID, senderProgramCounter,
                    bootUUID, signpostID, signpostName, signpostScope, signpostType, backtrace, extra, source);
        }
    }
}
