package io.vestige.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe, bounded collector of {@link Diagnostic}s. After {@code capacity} entries further
 * ones are only counted, so a badly damaged image cannot exhaust memory through its diagnostics.
 * In strict mode the first warning or error is thrown instead of collected.
 */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();
    private final int capacity;
    private final boolean strict;
    private long dropped;

    public Diagnostics() {
        this(10_000, false);
    }

    public Diagnostics(int capacity, boolean strict) {
        this.capacity = capacity;
        this.strict = strict;
    }

    public synchronized void add(Diagnostic d) {
        if (items.size() < capacity) {
            items.add(d);
        } else {
            dropped++;
        }
    }

    /** Records a recoverable problem; in strict mode rethrows it instead. */
    public void recover(String source, ParseException e) throws ParseException {
        if (strict) {
            throw e;
        }
        add(Diagnostic.of(source, e, Diagnostic.Severity.WARNING));
    }

    public boolean strict() {
        return strict;
    }

    public synchronized List<Diagnostic> list() {
        return List.copyOf(items);
    }

    public synchronized long dropped() {
        return dropped;
    }

    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }
}
