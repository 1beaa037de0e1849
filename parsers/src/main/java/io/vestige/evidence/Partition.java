package io.vestige.evidence;

import io.vestige.io.ByteSource;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a {@link VolumeSystem}.
 *
 * @param index      1-based position in the map, as {@code mmls} numbers slots where it can
 * @param type       the raw type: a GUID string for GPT, {@code 0x07} for MBR, {@code Apple_HFS} for APM
 * @param typeName   a readable name ({@code "Apple APFS"}), or the raw type when unknown
 * @param name       the partition's own name/label, {@code ""} if none
 * @param offset     byte offset in the media
 * @param length     byte length
 * @param source     the partition's bytes (a slice of the media)
 * @param attributes anything else (GPT unique GUID, flags …)
 */
public record Partition(int index, String scheme, String type, String typeName, String name, long offset, long length,
                        ByteSource source, EvidencePath evidencePath, Map<String, Object> attributes) {
    public Partition {
        attributes = new TreeMap<>(attributes);
        name = name == null ? "" : name;
    }
}
