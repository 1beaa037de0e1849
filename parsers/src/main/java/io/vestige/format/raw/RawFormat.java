package io.vestige.format.raw;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.io.IOException;
import java.util.List;

/** A single raw image file ({@code .dd}, {@code .img}, {@code .raw} …). Last in the probe order: it accepts any regular file. */
public final class RawFormat implements ContainerFormat {
    @Override
    public String name() {
        return "raw";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) {
        return !candidate.isDirectory();
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        ByteSource src = ByteSources.open(candidate.path());
        String name = candidate.path().getFileName().toString();
        ContainerInfo info = new ContainerInfo("raw", src.size(), 512, List.of(name),
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
        EvidencePath ep = EvidencePath.ofFile(name);
        return new Container() {
            @Override
            public ContainerInfo info() {
                return info;
            }

            @Override
            public EvidencePath evidencePath() {
                return ep;
            }

            @Override
            public ByteSource media() {
                return src;
            }

            @Override
            public void close() throws IOException {
                src.close();
            }
        };
    }
}
