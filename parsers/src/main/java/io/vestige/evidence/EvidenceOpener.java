package io.vestige.evidence;

import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.ParseException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens an evidence path layer by layer with the probes of a {@link ProbeRegistry}: container, then
 * on its media partition maps (recursively, bounded by {@code maxRecursion}) and file systems.
 * Damage below the container becomes a diagnostic; the other partitions are still opened.
 */
public final class EvidenceOpener {
    private final ProbeRegistry registry;
    private final OpenOptions options;

    public EvidenceOpener(ProbeRegistry registry, OpenOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** Which container format claims the path (for {@code info} and batch detection), or {@code null}. */
    public ContainerFormat detect(Path path) throws IOException {
        try (EvidenceCandidate c = EvidenceCandidate.of(path)) {
            for (ContainerFormat f : registry.containers()) {
                if (f.probe(c)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Opens only the container. */
    public Container openContainer(Path path) throws IOException {
        try (EvidenceCandidate c = EvidenceCandidate.of(path)) {
            for (ContainerFormat f : registry.containers()) {
                if (f.probe(c)) {
                    return f.open(c, options);
                }
            }
        }
        throw new ParseException("evidence", -1, "no format recognises " + path
                + " (supported: " + registry.containers().stream().map(ContainerFormat::name).toList() + ")");
    }

    /** Opens the container and everything below it. */
    public OpenedEvidence open(Path path) throws IOException {
        Container container = openContainer(path);
        List<Closeable> resources = new ArrayList<>();
        resources.add(container);
        List<OpenedEvidence.Layout> layouts = new ArrayList<>();
        List<FileSystem> fileSystems = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        try {
            FileSystem logical = container.logicalFileSystem();
            if (logical != null) {
                fileSystems.add(logical);
            } else if (container.media() != null) {
                descend(container.media(), container.evidencePath(), 0, layouts, fileSystems, diags, resources);
            }
        } catch (RuntimeException e) {
            closeQuietly(resources);
            throw e;
        }
        resources.addAll(fileSystems);
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        return new OpenedEvidence(name, container, layouts, fileSystems, diags, resources);
    }

    /** Opens the partition maps and file systems on a byte source (used for media and partitions). */
    public void descend(ByteSource src, EvidencePath at, int depth, List<OpenedEvidence.Layout> layouts,
                        List<FileSystem> fileSystems, List<Diagnostic> diags, List<Closeable> resources) {
        if (depth > options.limits().maxRecursion()) {
            diags.add(Diagnostic.warning(at.toString(), "evidence", -1, "nesting deeper than maxRecursion; not descended"));
            return;
        }
        if (fileSystems(src, at, false, fileSystems, diags)) {
            return;
        }
        for (VolumeSystemFormat v : registry.volumeSystems()) {
            try {
                if (v.probe(src)) {
                    VolumeSystem vs = v.open(src, at, options);
                    layouts.add(new OpenedEvidence.Layout(at, vs));
                    diags.addAll(vs.diagnostics());
                    for (Partition p : vs.partitions()) {
                        descend(p.source(), p.evidencePath(), depth + 1, layouts, fileSystems, diags, resources);
                    }
                    return;
                }
            } catch (ParseException e) {
                diags.add(Diagnostic.of(at.toString(), e, Diagnostic.Severity.ERROR));
                return;
            } catch (IOException | RuntimeException e) {
                diags.add(Diagnostic.error(at.toString(), v.name(), -1, v.name() + ": " + e));
                return;
            }
        }
        if (fileSystems(src, at, true, fileSystems, diags)) {
            return;
        }
        diags.add(Diagnostic.info(at.toString(), "evidence", -1, "no partition map or file system recognised ("
                + src.size() + " bytes)"));
    }

    /**
     * Tries the file-system probes of one pass (native readers, or the fallback engines after the
     * partition maps); true when one claimed the source or failed on it (reported as a diagnostic).
     */
    private boolean fileSystems(ByteSource src, EvidencePath at, boolean fallbackPass, List<FileSystem> fileSystems,
                                List<Diagnostic> diags) {
        for (FileSystemFormat f : registry.fileSystems()) {
            if (f.fallback() != fallbackPass) {
                continue;
            }
            try {
                if (f.probe(src)) {
                    fileSystems.addAll(f.open(src, at, options));
                    return true;
                }
            } catch (ParseException e) {
                diags.add(Diagnostic.of(at.toString(), e, Diagnostic.Severity.ERROR));
                return true;
            } catch (IOException | RuntimeException e) {
                diags.add(Diagnostic.error(at.toString(), f.name(), -1, f.name() + ": " + e));
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(List<Closeable> rs) {
        for (Closeable c : rs) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing; the original error is what the user needs
            }
        }
    }
}
