package io.vestige.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Factories for the standard {@link ByteSource} implementations. */
public final class ByteSources {
    private ByteSources() {
    }

    /** Opens a file read-only. The evidence file is never written, locked or modified. */
    public static ByteSource open(Path file) throws IOException {
        return new FileSource(file, FileChannel.open(file, StandardOpenOption.READ));
    }

    public static ByteSource wrap(byte[] bytes) {
        return new MemorySource(bytes, 0, bytes.length, "memory");
    }

    public static ByteSource wrap(byte[] bytes, String description) {
        return new MemorySource(bytes, 0, bytes.length, description);
    }

    public static ByteSource wrap(byte[] bytes, int off, int len, String description) {
        if (off < 0 || len < 0 || off > bytes.length - len) {
            throw new IndexOutOfBoundsException("wrap " + off + "+" + len + " of " + bytes.length);
        }
        return new MemorySource(bytes, off, len, description);
    }

    public static ByteSource empty() {
        return new MemorySource(new byte[0], 0, 0, "empty");
    }

    /** A view of {@code length} bytes at {@code offset} in {@code parent}; must lie inside it. */
    public static ByteSource slice(ByteSource parent, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > parent.size() || parent.size() - offset < length) {
            throw new TruncatedException(parent.describe() + " slice", offset,
                    "slice [" + offset + ", +" + length + ") outside source of " + parent.size() + " bytes");
        }
        if (parent instanceof SliceSource s) {
            return new SliceSource(s.parent, s.offset + offset, length);
        }
        return new SliceSource(parent, offset, length);
    }

    /** The given sources one after another, as one source (split raw images, multi-part files). */
    public static ByteSource concat(List<? extends ByteSource> parts) {
        return new ConcatSource(parts);
    }

    /** A block cache in front of {@code inner} (LRU, {@code blocks} × {@code blockSize} bytes at most). */
    public static ByteSource cached(ByteSource inner, int blockSize, int blocks) {
        return new CachingByteSource(inner, blockSize, blocks);
    }

    /** A sequential stream over [offset, offset+length) of a source. */
    public static InputStream stream(ByteSource src, long offset, long length) {
        return new SourceInputStream(src, offset, length);
    }

    /** One positional read into a view of the destination, given how much is already done. */
    @FunctionalInterface
    interface Step {
        int read(ByteBuffer view, int done) throws IOException;
    }

    /**
     * Reads up to {@code want} bytes into {@code dst} by repeated steps until the want is met or a step
     * returns no progress; advances {@code dst} by what was read and returns it.
     */
    static int fill(ByteBuffer dst, int want, Step step) throws IOException {
        ByteBuffer view = dst.slice();
        view.limit(want);
        int total = 0;
        while (view.hasRemaining()) {
            int n = step.read(view, total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        dst.position(dst.position() + total);
        return total;
    }

    static final class FileSource implements ByteSource {
        private final Path path;
        private final FileChannel ch;
        private final long size;

        FileSource(Path path, FileChannel ch) throws IOException {
            this.path = path;
            this.ch = ch;
            this.size = ch.size();
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (offset >= size) {
                return -1;
            }
            int want = (int) Math.min(dst.remaining(), size - offset);
            if (want == 0) {
                return 0;
            }
            // positional reads: thread-safe, no shared cursor
            return fill(dst, want, (view, done) -> ch.read(view, offset + done));
        }

        @Override
        public String describe() {
            return String.valueOf(path.getFileName());
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    static final class MemorySource implements ByteSource {
        private final byte[] bytes;
        private final int off;
        private final int len;
        private final String description;

        MemorySource(byte[] bytes, int off, int len, String description) {
            this.bytes = bytes;
            this.off = off;
            this.len = len;
            this.description = description;
        }

        @Override
        public long size() {
            return len;
        }

        @Override
        public int read(long offset, ByteBuffer dst) {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (offset >= len) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), len - offset);
            dst.put(bytes, off + (int) offset, n);
            return n;
        }

        @Override
        public String describe() {
            return description;
        }
    }

    static final class SliceSource implements ByteSource {
        final ByteSource parent;
        final long offset;
        private final long length;

        SliceSource(ByteSource parent, long offset, long length) {
            this.parent = parent;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long size() {
            return length;
        }

        @Override
        public int read(long off, ByteBuffer dst) throws IOException {
            if (off < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (off >= length) {
                return -1;
            }
            int want = (int) Math.min(dst.remaining(), length - off);
            int total = fill(dst, want, (view, done) -> parent.read(offset + off + done, view));
            return total == 0 && want > 0 ? -1 : total;
        }

        @Override
        public String describe() {
            return parent.describe() + "[" + offset + "+" + length + "]";
        }
    }

    static final class ConcatSource implements ByteSource {
        private final ByteSource[] parts;
        private final long[] starts;
        private final long size;

        ConcatSource(List<? extends ByteSource> list) {
            this.parts = list.toArray(new ByteSource[0]);
            this.starts = new long[parts.length];
            long s = 0;
            for (int i = 0; i < parts.length; i++) {
                starts[i] = s;
                s = Math.addExact(s, parts[i].size());
            }
            this.size = s;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (offset >= size) {
                return -1;
            }
            int idx = Arrays.binarySearch(starts, offset);
            if (idx < 0) {
                idx = -idx - 2;
            }
            // skip empty parts that share a start offset
            while (idx < parts.length - 1 && starts[idx + 1] <= offset) {
                idx++;
            }
            int total = 0;
            long pos = offset;
            while (dst.hasRemaining() && idx < parts.length && pos < size) {
                long inPart = pos - starts[idx];
                if (inPart >= parts[idx].size()) {
                    idx++;
                    continue;
                }
                int want = (int) Math.min(dst.remaining(), parts[idx].size() - inPart);
                ByteBuffer view = dst.slice();
                view.limit(want);
                int n = parts[idx].read(inPart, view);
                if (n <= 0) {
                    throw new TruncatedException(parts[idx].describe(), inPart, want, 0);
                }
                dst.position(dst.position() + n);
                total += n;
                pos += n;
            }
            return total;
        }

        @Override
        public String describe() {
            return parts.length == 0 ? "concat[]" : parts[0].describe() + (parts.length > 1 ? " (+" + (parts.length - 1) + " parts)" : "");
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (ByteSource p : parts) {
                try {
                    p.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        List<ByteSource> parts() {
            return new ArrayList<>(Arrays.asList(parts));
        }
    }

    static final class SourceInputStream extends InputStream {
        private final ByteSource src;
        private final long end;
        private long pos;
        private long mark;

        SourceInputStream(ByteSource src, long offset, long length) {
            this.src = src;
            this.pos = offset;
            this.end = Math.min(src.size(), offset + length);
            this.mark = offset;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n <= 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - pos);
            int n = src.read(pos, ByteBuffer.wrap(b, off, want));
            if (n <= 0) {
                return -1;
            }
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - pos));
            pos += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readlimit) {
            mark = pos;
        }

        @Override
        public synchronized void reset() {
            pos = mark;
        }
    }
}
