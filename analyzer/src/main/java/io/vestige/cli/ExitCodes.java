package io.vestige.cli;

/**
 * Exit codes of the {@code vestige} command. Command-specific results use 0–2 (for {@code verify}:
 * 0 hashes match, 1 mismatch, 2 no stored hash); failures use the BSD sysexits values.
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    /** A negative result: a hash mismatch, an invalid signature, a failed report verification. */
    public static final int NEGATIVE = 1;
    /** Nothing to compare against (no stored hash, no signature). */
    public static final int NOT_DETERMINABLE = 2;
    /** The command line was wrong. */
    public static final int USAGE = 64;
    /** The evidence is malformed or uses an unsupported variant. */
    public static final int DATA_ERROR = 65;
    /** An input file or folder does not exist or cannot be read. */
    public static final int NO_INPUT = 66;
    /** A bug: please report it with the --debug output. */
    public static final int INTERNAL = 70;
    /** The output could not be written. */
    public static final int CANT_CREATE = 73;
    /** Another I/O error. */
    public static final int IO_ERROR = 74;
}
