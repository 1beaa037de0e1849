package io.vestige.codesign;

import java.util.Objects;

/**
 * One typed verification problem: what ({@link #type}), a sentence an examiner can read in court,
 * and where (slice arch, slot, resource path, nested code path; empty when global).
 */
public record Problem(ProblemType type, String message, String where) {
    public Problem {
        Objects.requireNonNull(type);
        Objects.requireNonNull(message);
        where = where == null ? "" : where;
    }

    @Override
    public String toString() {
        return type.label() + (where.isEmpty() ? "" : " [" + where + "]") + ": " + message;
    }
}
