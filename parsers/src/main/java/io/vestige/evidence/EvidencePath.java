package io.vestige.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The provenance chain of any byte range or record, from the evidence file down to the item:
 * {@code case.E01 › gpt#2 @ 20480 › apfs vol "Data" xid 1234 › inode 5678 › /private/tmp/vpn.x/…}.
 * Immutable; each layer appends one {@link Step}. Every timeline event and finding carries one,
 * so that a report can cite where each statement comes from.
 */
public final class EvidencePath {
    /** One layer of provenance: which layer ({@code "file"}, {@code "gpt"}, {@code "apfs"}, {@code "tar"} …) and its detail. */
    public record Step(String layer, String detail) {
        public Step {
            Objects.requireNonNull(layer);
            detail = detail == null ? "" : detail;
        }

        @Override
        public String toString() {
            if (layer.equals("file") || layer.equals("path")) {
                return detail;
            }
            return detail.isEmpty() ? layer : layer + " " + detail;
        }
    }

    public static final String SEPARATOR = " \u203a ";

    private final List<Step> steps;

    private EvidencePath(List<Step> steps) {
        this.steps = Collections.unmodifiableList(steps);
    }

    /** The root of a chain: an evidence file as the user named it. */
    public static EvidencePath ofFile(String fileName) {
        List<Step> l = new ArrayList<>(1);
        l.add(new Step("file", fileName));
        return new EvidencePath(l);
    }

    public static EvidencePath of(List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty evidence path");
        }
        return new EvidencePath(new ArrayList<>(steps));
    }

    /** This chain plus one step. */
    public EvidencePath then(String layer, String detail) {
        List<Step> l = new ArrayList<>(steps.size() + 1);
        l.addAll(steps);
        l.add(new Step(layer, detail));
        return new EvidencePath(l);
    }

    /** This chain plus a file-system path step. */
    public EvidencePath thenPath(String path) {
        return then("path", path);
    }

    public List<Step> steps() {
        return steps;
    }

    public Step last() {
        return steps.get(steps.size() - 1);
    }

    /** The chain without a trailing path step (the file system that holds the item). */
    public EvidencePath withoutPath() {
        if (steps.size() > 1 && last().layer().equals("path")) {
            return new EvidencePath(new ArrayList<>(steps.subList(0, steps.size() - 1)));
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (sb.length() > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(s);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvidencePath p && p.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }
}
