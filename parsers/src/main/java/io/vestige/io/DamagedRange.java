package io.vestige.io;

/**
 * A run of media bytes that could not be decoded (bad checksum, inflate error, missing table
 * entry) and was delivered as zeros instead.
 *
 * @param chunk       first chunk number of the run (format-specific numbering, 0-based), or -1
 * @param mediaOffset first media byte affected
 * @param length      bytes affected
 * @param reason      what was wrong, with the stored location (segment file and offset)
 */
public record DamagedRange(long chunk, long mediaOffset, long length, String reason) {
}
