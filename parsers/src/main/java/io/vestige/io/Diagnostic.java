package io.vestige.io;

import java.util.Objects;

/**
 * Recoverable damage or a noteworthy condition found while parsing: the run goes on, the report
 * says what happened and where. {@code offset} is absolute in the named source, -1 if none.
 */
public record Diagnostic(Severity severity, String source, String structure, long offset, String message) {

    public enum Severity { INFO, WARNING, ERROR }

    public Diagnostic {
        Objects.requireNonNull(severity);
        Objects.requireNonNull(message);
        source = source == null ? "" : source;
        structure = structure == null ? "" : structure;
    }

    public static Diagnostic warning(String source, String structure, long offset, String message) {
        return new Diagnostic(Severity.WARNING, source, structure, offset, message);
    }

    public static Diagnostic error(String source, String structure, long offset, String message) {
        return new Diagnostic(Severity.ERROR, source, structure, offset, message);
    }

    public static Diagnostic info(String source, String structure, long offset, String message) {
        return new Diagnostic(Severity.INFO, source, structure, offset, message);
    }

    public static Diagnostic of(String source, ParseException e, Severity severity) {
        return new Diagnostic(severity, source, e.structure(), e.offset(), e.getMessage());
    }

    @Override
    public String toString() {
        return severity + " " + (source.isEmpty() ? "" : source + ": ") + message
                + (offset >= 0 && !message.contains(ParseException.at(offset)) ? " @ " + ParseException.at(offset) : "");
    }
}
