package io.vestige.format.dir;

import io.vestige.evidence.Container;
import io.vestige.evidence.LogicalContainer;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import java.util.List;
import java.util.Map;

/** A folder given as evidence: an extracted triage collection. Folders with a format of their own (sparsebundle, logarchive) are claimed earlier in the probe order. */
public final class DirectoryFormat implements ContainerFormat {
    @Override
    public String name() {
        return "dir";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) {
        return candidate.isDirectory();
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) {
        String name = candidate.path().toAbsolutePath().normalize().getFileName() == null ? "/"
                : candidate.path().toAbsolutePath().normalize().getFileName().toString();
        EvidencePath ep = EvidencePath.ofFile(name);
        DirectoryFileSystem fs = new DirectoryFileSystem(candidate.path(), ep, options.limits());
        ContainerInfo info = new ContainerInfo("dir", -1, -1, List.of(name), Map.of(), Map.of(), Map.of());
        return new LogicalContainer(info, ep, fs, null, null);
    }
}
