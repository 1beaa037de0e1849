package io.vestige.evidence;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a container says about itself: format, media geometry, the files it consists of, the media
 * hashes it stores, acquisition metadata, and format-specific details (chunk types, checksum
 * results …). Maps are sorted so that output is deterministic.
 *
 * @param format       short name: {@code ewf}, {@code ewf2}, {@code udif}, {@code raw}, {@code tar} …
 * @param mediaSize    bytes of media, or -1 for logical collections
 * @param sectorSize   bytes per sector, or -1 if not stated by the format
 * @param segments     file names of the segment files, in order
 * @param storedHashes media hashes recorded in the container, algorithm ({@code md5}, {@code sha1}) to lower-case hex
 * @param metadata     acquisition metadata (case number, examiner, evidence number, notes, acquisition date …)
 * @param details      anything else worth showing, values JSON-friendly (String, Number, Boolean, List, Map)
 */
public record ContainerInfo(String format, long mediaSize, long sectorSize, List<String> segments,
                            Map<String, String> storedHashes, Map<String, String> metadata,
                            Map<String, Object> details) {
    public ContainerInfo {
        segments = List.copyOf(segments);
        storedHashes = new TreeMap<>(storedHashes);
        metadata = new TreeMap<>(metadata);
        details = new TreeMap<>(details);
    }

    public static ContainerInfo simple(String format, long mediaSize, List<String> segments) {
        return new ContainerInfo(format, mediaSize, -1, segments, Map.of(), Map.of(), Map.of());
    }
}
