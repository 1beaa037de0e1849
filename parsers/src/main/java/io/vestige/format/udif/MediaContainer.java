package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidencePath;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** A container that is just media plus what to close. */
final class MediaContainer implements Container {
    private final ContainerInfo info;
    private final EvidencePath path;
    private final ByteSource media;
    private final List<Diagnostic> diagnostics;
    private final List<? extends Closeable> resources;

    MediaContainer(ContainerInfo info, String name, ByteSource media, List<Diagnostic> diagnostics,
                   List<? extends Closeable> resources) {
        this.info = info;
        this.path = EvidencePath.ofFile(name);
        this.media = media;
        this.diagnostics = List.copyOf(diagnostics);
        this.resources = List.copyOf(resources);
    }

    @Override
    public ContainerInfo info() {
        return info;
    }

    @Override
    public EvidencePath evidencePath() {
        return path;
    }

    @Override
    public ByteSource media() {
        return media;
    }

    @Override
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : resources) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
