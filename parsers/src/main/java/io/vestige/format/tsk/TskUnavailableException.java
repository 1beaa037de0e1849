package io.vestige.format.tsk;

import java.io.IOException;

/**
 * libtsk could not be loaded, or the one found is a version whose structure layouts Vestige has not
 * verified. The message names what to install ({@link TskLibrary#INSTALL_HINT}).
 */
public class TskUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public TskUnavailableException(String message) {
        super(message);
    }

    public TskUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
