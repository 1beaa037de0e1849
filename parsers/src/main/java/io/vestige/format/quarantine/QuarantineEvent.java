package io.vestige.format.quarantine;

import io.vestige.evidence.EvidencePath;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code LSQuarantineEvent} in {@code com.apple.LaunchServices.QuarantineEventsV2}: a
 * download or other quarantining event. {@code timeStamp} is converted from Mac absolute time
 * (seconds since 2001-01-01 UTC); absent columns are {@code null}.
 */
public record QuarantineEvent(UUID eventIdentifier, String eventIdentifierText, Instant timeStamp, Double macAbsoluteTime,
                              String agentName, String agentBundleIdentifier, String dataURLString,
                              String originURLString, String originTitle, String senderName, String senderAddress,
                              Long typeNumber, EvidencePath source) {
}
