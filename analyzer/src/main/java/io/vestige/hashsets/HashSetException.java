package io.vestige.hashsets;

import java.io.IOException;

/** A hash-set file that cannot be used: malformed row (with file and line), too many entries, not an RDSv3 database. */
public final class HashSetException extends IOException {
    public HashSetException(String message) {
        super(message);
    }

    public HashSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
