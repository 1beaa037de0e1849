package io.vestige.io;

/**
 * A count or size read from the input exceeds a {@link ParseLimits} bound. The message names the
 * setting so that a user with a legitimate huge input knows what to raise.
 */
public class LimitExceededException extends ParseException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public LimitExceededException(String structure, long offset, String setting, long limit, long found) {
        super(structure, offset, "value " + Long.toUnsignedString(found) + " exceeds limit " + setting + "="
                + limit + " (raise it with --limit " + setting + "=N if the input is genuine)");
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
