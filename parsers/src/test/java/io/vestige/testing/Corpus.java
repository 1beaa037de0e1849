package io.vestige.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to the real-world sample corpus ({@code ../shared/corpus}) for tests tagged {@code corpus}.
 * The folder is found through {@code VESTIGE_CORPUS}; where it is unset or a file is missing the
 * test is skipped with a message, so the project still builds anywhere. Never copy corpus files
 * into the repository.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The corpus root, or skips the calling test. */
    public static Path root() {
        String env = System.getenv("VESTIGE_CORPUS");
        Assumptions.assumeTrue(env != null && !env.isBlank(), "VESTIGE_CORPUS is not set; corpus test skipped");
        Path p = Path.of(env);
        Assumptions.assumeTrue(Files.isDirectory(p), "VESTIGE_CORPUS=" + env + " is not a folder; corpus test skipped");
        return p;
    }

    /** A corpus file such as {@code ewf/e01rs_image.E01}, or skips the calling test. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "corpus file " + relative + " is missing; test skipped");
        return p;
    }
}
