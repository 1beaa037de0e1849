package io.vestige.io;

/** A signature or magic number did not match. */
public class BadMagicException extends ParseException {
    private static final long serialVersionUID = 1L;

    public BadMagicException(String structure, long offset, String expected, String found) {
        super(structure, offset, expectedFound("bad magic", expected, found));
    }
}
