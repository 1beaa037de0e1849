package io.vestige.format.dir;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.Paths;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A folder on the examiner's machine presented as a read-only {@link FileSystem} (an extracted
 * triage collection, a {@code .logarchive}, an app bundle). Symlinks are reported as symlinks and
 * never followed, so nothing outside the folder is read. Content is opened lazily, read-only.
 */
public final class DirectoryFileSystem implements FileSystem {
    private final Path root;
    private final EvidencePath evidencePath;
    private final ParseLimits limits;

    public DirectoryFileSystem(Path root, EvidencePath evidencePath, ParseLimits limits) {
        this.root = root.toAbsolutePath().normalize();
        this.evidencePath = evidencePath;
        this.limits = limits;
    }

    public static DirectoryFileSystem of(Path root) {
        Path name = root.toAbsolutePath().normalize().getFileName();
        return new DirectoryFileSystem(root, EvidencePath.ofFile(name == null ? "/" : name.toString()),
                ParseLimits.defaults());
    }

    @Override
    public String type() {
        return "dir";
    }

    @Override
    public String label() {
        return root.toString();
    }

    @Override
    public EvidencePath evidencePath() {
        return evidencePath;
    }

    @Override
    public FileEntry root() throws IOException {
        return entry(root, "/");
    }

    @Override
    public FileEntry lookup(String path) throws IOException {
        String norm = Paths.normalize(path);
        Path p = norm.equals("/") ? root : root.resolve(norm.substring(1));
        // every intermediate component must be a real directory, not a symlink, so we stay inside root
        Path cur = root;
        if (!norm.equals("/")) {
            String[] parts = norm.substring(1).split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                cur = cur.resolve(parts[i]);
                if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
            }
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return entry(p, norm);
    }

    Entry entry(Path p, String path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> unix = null;
        try {
            unix = Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink,ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // not a POSIX file system: fall back to basic attributes
        }
        return new Entry(p, path, a, unix);
    }

    private static Instant t(FileTime ft) {
        return ft == null ? null : ft.toInstant();
    }

    final class Entry implements FileEntry {
        private final Path file;
        private final String path;
        private final BasicFileAttributes attrs;
        private final Map<String, Object> unix;

        Entry(Path file, String path, BasicFileAttributes attrs, Map<String, Object> unix) {
            this.file = file;
            this.path = path;
            this.attrs = attrs;
            this.unix = unix;
        }

        @Override
        public String name() {
            return Paths.name(path);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public EntryKind kind() {
            if (attrs.isSymbolicLink()) {
                return EntryKind.SYMLINK;
            }
            if (attrs.isDirectory()) {
                return EntryKind.DIRECTORY;
            }
            if (attrs.isRegularFile()) {
                return EntryKind.FILE;
            }
            if (unix != null && unix.get("mode") instanceof Integer m) {
                return switch (m & 0170000) {
                    case 0060000 -> EntryKind.BLOCK_DEVICE;
                    case 0020000 -> EntryKind.CHAR_DEVICE;
                    case 0010000 -> EntryKind.FIFO;
                    case 0140000 -> EntryKind.SOCKET;
                    default -> EntryKind.OTHER;
                };
            }
            return EntryKind.OTHER;
        }

        @Override
        public long size() {
            return attrs.isDirectory() ? 0 : attrs.size();
        }

        @Override
        public long inode() {
            return unix != null && unix.get("ino") instanceof Long l ? l : -1;
        }

        @Override
        public int mode() {
            return unix != null && unix.get("mode") instanceof Integer m ? m : -1;
        }

        @Override
        public long uid() {
            return unix != null && unix.get("uid") instanceof Integer u ? u : -1;
        }

        @Override
        public long gid() {
            return unix != null && unix.get("gid") instanceof Integer g ? g : -1;
        }

        @Override
        public long linkCount() {
            return unix != null && unix.get("nlink") instanceof Integer n ? n : -1;
        }

        @Override
        public FileTimes times() {
            Instant ctime = unix != null && unix.get("ctime") instanceof FileTime ft ? ft.toInstant() : null;
            // Linux reports the modification time as creation time when the file system has no birth time
            Instant created = t(attrs.creationTime());
            if (created != null && created.equals(t(attrs.lastModifiedTime()))) {
                created = null;
            }
            return new FileTimes(created, t(attrs.lastModifiedTime()), ctime, t(attrs.lastAccessTime()), null);
        }

        @Override
        public String linkTarget() {
            if (!attrs.isSymbolicLink()) {
                return null;
            }
            try {
                return Files.readSymbolicLink(file).toString();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public ByteSource content() throws IOException {
            if (!attrs.isRegularFile()) {
                return ByteSources.empty();
            }
            return ByteSources.open(file);
        }

        @Override
        public List<FileEntry> children() throws IOException {
            if (!attrs.isDirectory()) {
                return List.of();
            }
            List<FileEntry> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file)) {
                for (Path c : ds) {
                    if (out.size() >= limits.maxDirectoryEntries()) {
                        limits.check("maxDirectoryEntries", out.size() + 1L, "directory " + path, -1);
                    }
                    String n = c.getFileName().toString();
                    out.add(entry(c, Paths.join(path, n)));
                }
            }
            out.sort(Comparator.comparing(FileEntry::name));
            return out;
        }

        @Override
        public List<Xattr> xattrs() throws IOException {
            List<Xattr> out = new ArrayList<>();
            try {
                UserDefinedFileAttributeView v = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (v == null) {
                    return out;
                }
                for (String n : v.list()) {
                    int size = v.size(n);
                    limits.check("maxXattrSize", size, "xattr " + n, -1);
                    ByteBuffer bb = ByteBuffer.allocate(size);
                    v.read(n, bb);
                    out.add(new Xattr(n, size, ByteSources.wrap(bb.array(), n)));
                }
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                return out;
            }
            out.sort(Comparator.comparing(Xattr::name));
            return out;
        }

        @Override
        public EvidencePath evidencePath() {
            return evidencePath.thenPath(path);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.file.equals(file);
        }

        @Override
        public int hashCode() {
            return file.hashCode();
        }

        @Override
        public String toString() {
            return path;
        }
    }
}
