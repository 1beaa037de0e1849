package io.vestige.evidence;

import io.vestige.io.Diagnostic;
import java.util.List;
import java.util.Map;

/** A partition map (GPT, MBR, APM) found on some media. */
public interface VolumeSystem {

    /** {@code gpt}, {@code mbr}, {@code apm}. */
    String type();

    /** Bytes per logical block the map was found with. */
    int blockSize();

    /** Allocated partitions, in map order. */
    List<Partition> partitions();

    /** Header facts (disk GUID, CRC results, backup used …). */
    default Map<String, Object> info() {
        return Map.of();
    }

    default List<Diagnostic> diagnostics() {
        return List.of();
    }
}
