package io.vestige.format.tsk;

import org.junit.jupiter.api.Assumptions;

/** Skips a test, with a message, where libtsk cannot be loaded (like {@code Tools.assume} for tools). */
final class TskAssume {
    private TskAssume() {
    }

    static TskLibrary library() {
        try {
            return TskLibrary.load((String) null);
        } catch (TskUnavailableException e) {
            Assumptions.abort("libtsk not usable, test skipped: " + e.getMessage());
            return null;
        }
    }
}
