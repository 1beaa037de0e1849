package io.vestige.evidence;

import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A container that holds a file system directly (a folder, a tar or zip collection): no media, the
 * file system as {@link #logicalFileSystem()}, and the diagnostics of reading it. Closing it closes
 * {@code resources}.
 */
public record LogicalContainer(ContainerInfo info, EvidencePath evidencePath, FileSystem logicalFileSystem,
                               Diagnostics diagnosticsSink, Closeable resources) implements Container {

    @Override
    public ByteSource media() {
        return null;
    }

    @Override
    public List<Diagnostic> diagnostics() {
        return diagnosticsSink == null ? List.of() : diagnosticsSink.list();
    }

    @Override
    public void close() throws IOException {
        if (resources != null) {
            resources.close();
        }
    }
}
