package io.vestige.io;

import java.io.IOException;

/**
 * Malformed or unsupported input. Every message names the structure, the offset (hex and
 * decimal) and, where it applies, what was expected and what was found, so that an examiner can
 * go to the bytes. Subtypes say what kind of problem it is.
 */
public class ParseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String structure;
    private final long offset;

    public ParseException(String structure, long offset, String detail) {
        this(structure, offset, detail, null);
    }

    public ParseException(String structure, long offset, String detail, Throwable cause) {
        super(format(structure, offset, detail), cause);
        this.structure = structure;
        this.offset = offset;
    }

    /** The structure being parsed, e.g. {@code "EWF table"} or {@code "APFS nx_superblock"}. */
    public String structure() {
        return structure;
    }

    /** Absolute offset in the enclosing byte source, or -1 when not applicable. */
    public long offset() {
        return offset;
    }

    /** A throwable's message, or its type where it has none (an EOFException from a truncated stream). */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        if (t instanceof java.io.EOFException) {
            return "unexpected end of data" + (m == null ? "" : " (" + m + ")");
        }
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Renders {@code 0x8000 / 32768}. */
    public static String at(long offset) {
        return offset < 0 ? "?" : "0x" + Long.toHexString(offset) + " / " + Long.toUnsignedString(offset);
    }

    static String format(String structure, long offset, String detail) {
        StringBuilder sb = new StringBuilder(structure);
        if (offset >= 0) {
            sb.append(" @ ").append(at(offset));
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    static String expectedFound(String what, Object expected, Object found) {
        return what + ": expected " + expected + ", found " + found;
    }
}
