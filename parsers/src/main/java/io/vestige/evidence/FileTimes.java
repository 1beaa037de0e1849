package io.vestige.evidence;

import java.time.Instant;

/**
 * The times a file system keeps for an entry, UTC with nanoseconds where the format has them;
 * {@code null} where the format does not record that time. {@code added} is APFS's date-added
 * from the directory record.
 */
public record FileTimes(Instant created, Instant modified, Instant changed, Instant accessed, Instant added) {
    public static final FileTimes NONE = new FileTimes(null, null, null, null, null);

    public static FileTimes modifiedOnly(Instant modified) {
        return new FileTimes(null, modified, null, null, null);
    }
}
