package io.vestige.reports;

import java.util.Map;

/**
 * One dated statement from the evidence: when, what the time means ({@code timestampDesc}, in
 * Timesketch's vocabulary: "Creation Time", "Content Modification Time", "Log Time" …), which source
 * said so, and where in the evidence it lies.
 *
 * @param timestamp     ISO-8601 UTC with the precision the source has
 * @param epochNanos    the same instant as nanoseconds since 1970, for sorting
 * @param precision     {@code ns}, {@code us}, {@code s}, or {@code bounded} for FSEvents-style ranges
 */
public record TimelineEvent(String timestamp, long epochNanos, String precision, String timestampDesc, String source,
                            String message, String path, String evidencePath, Map<String, Object> attributes) {
    public TimelineEvent {
        attributes = Maps.sorted(attributes);
    }
}
