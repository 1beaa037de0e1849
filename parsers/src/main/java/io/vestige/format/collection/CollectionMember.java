package io.vestige.format.collection;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileTimes;
import io.vestige.io.ByteSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One archive member as an index keeps it: the name as stored, what it is, its metadata and how
 * to get its bytes. Archive formats (tar, zip) produce these; {@link CollectionFileSystem} turns a
 * list of them into a tree.
 *
 * @param member       the member name exactly as stored (decoded as UTF-8)
 * @param kind         file, directory, symlink, hard link …
 * @param size         logical size in bytes
 * @param mode         POSIX mode bits including type bits where known, else -1
 * @param linkTarget   symlink or hard-link target as stored, else {@code null}
 * @param xattrs       extended attributes kept in memory (name to bytes), sorted by name
 * @param headerOffset offset of the member's first header in the (decompressed) archive
 * @param content      opens the member's bytes; {@code null} for members without data
 * @param attributes   format-specific facts for display (sorted)
 */
public record CollectionMember(String member, EntryKind kind, long size, int mode, long uid, long gid,
                               String uname, String gname, FileTimes times, String linkTarget,
                               Map<String, byte[]> xattrs, long headerOffset, Content content,
                               Map<String, Object> attributes) {

    /** Lazily opens a member's bytes. */
    @FunctionalInterface
    public interface Content {
        ByteSource open() throws IOException;
    }

    public CollectionMember {
        xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : new TreeMap<>(xattrs);
        attributes = attributes == null ? Map.of() : new TreeMap<>(attributes);
        times = times == null ? FileTimes.NONE : times;
    }

    /** Names of extended attributes, for listings. */
    public List<String> xattrNames() {
        return List.copyOf(xattrs.keySet());
    }
}
