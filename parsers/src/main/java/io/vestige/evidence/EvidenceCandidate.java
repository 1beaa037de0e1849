package io.vestige.evidence;

import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the probes look at: an evidence path as given by the user, and for a regular file its bytes.
 * Probes must only read; they never keep the source.
 */
public final class EvidenceCandidate implements Closeable {
    private final Path path;
    private final ByteSource source;
    private final boolean directory;

    private EvidenceCandidate(Path path, ByteSource source, boolean directory) {
        this.path = path;
        this.source = source;
        this.directory = directory;
    }

    public static EvidenceCandidate of(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return new EvidenceCandidate(path, null, true);
        }
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "not a file or folder");
        }
        return new EvidenceCandidate(path, ByteSources.open(path), false);
    }

    /** A candidate over bytes that are not a host file (an image inside evidence). */
    public static EvidenceCandidate of(String name, ByteSource source) {
        return new EvidenceCandidate(java.nio.file.Path.of(name), source, false);
    }

    public Path path() {
        return path;
    }

    /** Lower-case file name, for extension checks. */
    public String fileName() {
        Path f = path.getFileName();
        return f == null ? "" : f.toString().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isDirectory() {
        return directory;
    }

    /** The file's bytes; {@code null} for folders. */
    public ByteSource source() {
        return source;
    }

    public long size() {
        return source == null ? -1 : source.size();
    }

    /** Up to {@code n} bytes from the start (fewer for small files, none for folders). */
    public byte[] head(int n) throws IOException {
        return source == null ? new byte[0] : source.readAtMost(0, n);
    }

    /** Up to {@code n} bytes from the end. */
    public byte[] tail(int n) throws IOException {
        if (source == null) {
            return new byte[0];
        }
        long start = Math.max(0, source.size() - n);
        return source.readAtMost(start, (int) (source.size() - start));
    }

    @Override
    public void close() throws IOException {
        if (source != null) {
            source.close();
        }
    }
}
