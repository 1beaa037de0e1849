package io.vestige.evidence;

import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A tree of {@link FileEntry}s: an APFS volume or snapshot, a tar or zip collection, a folder on
 * disk, or a file system read through another engine. Implementations are thread-safe for reads.
 */
public interface FileSystem extends Closeable {

    /** Short type name: {@code apfs}, {@code tar}, {@code zip}, {@code dir}, {@code hfsplus} … */
    String type();

    /** Volume name or a description of the collection. */
    String label();

    /** Provenance of the file system itself (without a path step). */
    EvidencePath evidencePath();

    FileEntry root() throws IOException;

    /** Damage worked around while reading; grows as the tree is walked. */
    default List<Diagnostic> diagnostics() {
        return List.of();
    }

    /** Format-specific facts (volume UUID, role, xid, encryption …) for {@code vestige info}. */
    default java.util.Map<String, Object> info() {
        return java.util.Map.of();
    }

    /**
     * The entry at an absolute path, or {@code null} if there is none. The default walks
     * {@link FileEntry#children()} from the root; formats with an index override it.
     */
    default FileEntry lookup(String path) throws IOException {
        String norm = Paths.normalize(path);
        FileEntry cur = root();
        if (norm.equals("/")) {
            return cur;
        }
        int depth = 0;
        for (String part : norm.substring(1).split("/")) {
            if (++depth > 4096) {
                throw new MalformedException(type(), -1, "path too deep: " + path);
            }
            FileEntry next = null;
            for (FileEntry c : cur.children()) {
                if (c.name().equals(part)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    @Override
    default void close() throws IOException {
    }
}
