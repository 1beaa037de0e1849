package io.vestige.evidence;

import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import java.io.Closeable;
import java.util.List;

/**
 * An opened evidence item: an image format (EWF, UDIF, raw …) that yields a media
 * {@link ByteSource}, or a logical collection (tar, zip, folder) that yields a {@link FileSystem}
 * directly. Closing it releases every file handle it opened.
 */
public interface Container extends Closeable {

    ContainerInfo info();

    /** Provenance root for everything read from this container. */
    EvidencePath evidencePath();

    /** The media bytes, or {@code null} for logical collections. */
    ByteSource media();

    /** For logical collections the file system they hold; {@code null} for images. */
    default FileSystem logicalFileSystem() {
        return null;
    }

    /** Damage found while opening (bad chunk, checksum mismatch …). */
    default List<Diagnostic> diagnostics() {
        return List.of();
    }
}
