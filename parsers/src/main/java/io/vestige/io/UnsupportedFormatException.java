package io.vestige.io;

/** Well-formed input that uses a feature or variant Vestige does not read (yet). */
public class UnsupportedFormatException extends ParseException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}
