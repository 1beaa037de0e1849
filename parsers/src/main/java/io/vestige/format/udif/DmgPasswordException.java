package io.vestige.format.udif;

import io.vestige.io.ParseException;

/**
 * An encrypted DMG could not be opened for want of the right password: none was given
 * ({@link #passwordRequired()}), or the given one does not unwrap the key blob.
 */
public final class DmgPasswordException extends ParseException {
    private static final long serialVersionUID = 1L;
    private final boolean required;

    public DmgPasswordException(String structure, long offset, String detail, boolean required) {
        super(structure, offset, detail);
        this.required = required;
    }

    /** True when no password was supplied; false when the supplied one is wrong. */
    public boolean passwordRequired() {
        return required;
    }
}
