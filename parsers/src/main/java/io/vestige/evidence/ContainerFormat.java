package io.vestige.evidence;

import java.io.IOException;

/**
 * An evidence-file format (EWF, UDIF, sparse image, tar, zip, folder, raw …). {@link #probe} is a
 * cheap, read-only check; {@link #open} does the work. Probes run in {@link ProbeRegistry} order.
 */
public interface ContainerFormat {
    String name();

    boolean probe(EvidenceCandidate candidate) throws IOException;

    /**
     * Opens the candidate. The container takes over no resources of the candidate: it opens its
     * own handles (for multi-segment sets, the sibling files too) and releases them on close.
     */
    Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException;
}
