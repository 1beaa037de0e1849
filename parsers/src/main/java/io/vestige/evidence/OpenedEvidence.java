package io.vestige.evidence;

import io.vestige.io.Diagnostic;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An evidence item opened down to its file systems: the container, the partition maps found on
 * its media (possibly nested), every file system, and what could not be recognised.
 */
public final class OpenedEvidence implements Closeable {
    /** A partition map found at some level, with the partitions it lists. */
    public record Layout(EvidencePath at, VolumeSystem volumeSystem) {
    }

    private final String name;
    private final Container container;
    private final List<Layout> layouts;
    private final List<FileSystem> fileSystems;
    private final List<Diagnostic> diagnostics;
    private final List<Closeable> resources;

    OpenedEvidence(String name, Container container, List<Layout> layouts, List<FileSystem> fileSystems,
                   List<Diagnostic> diagnostics, List<Closeable> resources) {
        this.name = name;
        this.container = container;
        this.layouts = List.copyOf(layouts);
        this.fileSystems = List.copyOf(fileSystems);
        this.diagnostics = List.copyOf(diagnostics);
        this.resources = new ArrayList<>(resources);
    }

    /** The evidence name as the user gave it. */
    public String name() {
        return name;
    }

    public Container container() {
        return container;
    }

    public List<Layout> layouts() {
        return layouts;
    }

    public List<FileSystem> fileSystems() {
        return fileSystems;
    }

    /** Diagnostics from opening (unrecognised partitions, damaged structures), plus the container's. */
    public List<Diagnostic> diagnostics() {
        List<Diagnostic> all = new ArrayList<>(container.diagnostics());
        all.addAll(diagnostics);
        return all;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
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
