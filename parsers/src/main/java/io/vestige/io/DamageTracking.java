package io.vestige.io;

import java.util.List;

/**
 * Implemented by sources that zero-fill damaged regions instead of failing, so that hashing and
 * reports can list what was substituted. The list grows as damaged regions are read.
 */
public interface DamageTracking {
    /** Damaged regions met so far, in media order. */
    List<DamagedRange> damagedRanges();
}
