package io.vestige.evidence;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One entry of a {@link FileSystem}: a file, directory, symlink … with its metadata and, for
 * files, its content as a {@link ByteSource}. Entries are values: they may be re-created on each
 * lookup and compare by path and inode, not by identity.
 */
public interface FileEntry {

    /** The last path component ({@code ""} for the root). */
    String name();

    /** Absolute, {@code /}-separated path inside the file system, normalized ({@code /} for the root). */
    String path();

    EntryKind kind();

    /** Logical size in bytes (uncompressed size for compressed files); 0 for directories. */
    long size();

    /** Inode or record number, or -1 where the format has none (tar, zip). */
    default long inode() {
        return -1;
    }

    /** POSIX mode bits including the file-type bits where known, -1 if unknown. */
    default int mode() {
        return -1;
    }

    /** Owner id, -1 if unknown. */
    default long uid() {
        return -1;
    }

    /** Group id, -1 if unknown. */
    default long gid() {
        return -1;
    }

    /** Link count, -1 if unknown. */
    default long linkCount() {
        return -1;
    }

    FileTimes times();

    /** The target of a symlink (or a hard link in an archive), else {@code null}. */
    default String linkTarget() {
        return null;
    }

    /**
     * The entry's content; for directories an empty source. The caller owns the returned source and
     * closes it; closing it never affects the file system (views return sources whose close is a no-op).
     */
    ByteSource content() throws IOException;

    /** Children of a directory, sorted by name; empty for other kinds. */
    List<FileEntry> children() throws IOException;

    /** Extended attributes (incl. {@code com.apple.quarantine}, resource forks), sorted by name. */
    default List<Xattr> xattrs() throws IOException {
        return List.of();
    }

    /** Where this entry comes from, down to its path. */
    EvidencePath evidencePath();

    /** Format-specific facts (APFS flags, compression type, tar member offset …), for display only. */
    default Map<String, Object> attributes() {
        return Map.of();
    }

    default boolean isDirectory() {
        return kind() == EntryKind.DIRECTORY;
    }

    default boolean isFile() {
        return kind() == EntryKind.FILE || kind() == EntryKind.HARDLINK;
    }
}
