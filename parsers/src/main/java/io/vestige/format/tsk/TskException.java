package io.vestige.format.tsk;

import io.vestige.io.ParseException;

/**
 * A libtsk call failed; the message carries TSK's own error text ({@code tsk_error_get}) and, when
 * the failure came from Vestige's read callback, the Java cause.
 */
public class TskException extends ParseException {
    private static final long serialVersionUID = 1L;

    public TskException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }

    public TskException(String structure, long offset, String detail, Throwable cause) {
        super(structure, offset, detail, cause);
    }
}
