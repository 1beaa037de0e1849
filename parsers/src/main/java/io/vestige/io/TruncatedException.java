package io.vestige.io;

/** The input ends before a structure does. */
public class TruncatedException extends ParseException {
    private static final long serialVersionUID = 1L;

    public TruncatedException(String structure, long offset, long needed, long available) {
        super(structure, offset, expectedFound("truncated", needed + " bytes", available + " bytes"));
    }

    public TruncatedException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}
