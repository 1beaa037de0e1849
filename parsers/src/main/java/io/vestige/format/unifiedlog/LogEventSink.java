package io.vestige.format.unifiedlog;

import java.io.IOException;

/**
 * Receives events one at a time as a reader streams them; readers never hold all events. The sink
 * may throw {@link IOException} (for example when writing output fails), which ends the read.
 */
@FunctionalInterface
public interface LogEventSink {
    void accept(LogEvent event) throws IOException;
}
