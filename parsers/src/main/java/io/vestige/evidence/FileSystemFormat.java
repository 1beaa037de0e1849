package io.vestige.evidence;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.util.List;

/**
 * A file-system format over a byte source (a partition or whole media). One source may hold
 * several file systems (an APFS container's volumes and snapshots), so {@link #open} returns a list.
 */
public interface FileSystemFormat {
    String name();

    boolean probe(ByteSource source) throws IOException;

    List<FileSystem> open(ByteSource source, EvidencePath parent, OpenOptions options) throws IOException;

    /**
     * A fallback reader (another engine) is tried only after the partition maps, so that it never
     * claims a whole disk that a native partition-map reader would split.
     */
    default boolean fallback() {
        return false;
    }
}
