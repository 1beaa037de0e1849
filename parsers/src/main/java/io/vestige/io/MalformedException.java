package io.vestige.io;

/** A field holds a value the format does not allow (a lying length, a cycle, an impossible count). */
public class MalformedException extends ParseException {
    private static final long serialVersionUID = 1L;

    public MalformedException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }

    public MalformedException(String structure, long offset, String detail, Throwable cause) {
        super(structure, offset, detail, cause);
    }

    public static MalformedException expected(String structure, long offset, String what, Object expected, Object found) {
        return new MalformedException(structure, offset, expectedFound(what, expected, found));
    }
}
