package io.vestige.codesign;

import com.fasterxml.jackson.annotation.JsonValue;

/** The overall outcome of a code-signature verification, in the words a report uses. */
public enum Verdict {
    /** Every hash matches, the CMS signature verifies and the chain ends at a pinned Apple root (or a user-supplied anchor, labelled). */
    VALID("valid"),
    /** Something bound by the signature no longer matches, or the signature itself is broken. */
    INVALID("invalid"),
    /** No code signature at all. */
    UNSIGNED("unsigned"),
    /** Hashes match but there is no CMS signature: anyone could have produced it. */
    ADHOC("adhoc"),
    /** Hashes and CMS signature match, but the chain does not end at a trusted anchor. */
    UNTRUSTED_ANCHOR("untrusted-anchor");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** Combines two verdicts: the worse one wins (invalid > untrusted-anchor > adhoc > unsigned > valid for mixes). */
    static Verdict worst(Verdict a, Verdict b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(Verdict v) {
        return switch (v) {
            case VALID -> 0;
            case UNSIGNED -> 1;
            case ADHOC -> 2;
            case UNTRUSTED_ANCHOR -> 3;
            case INVALID -> 4;
        };
    }
}
