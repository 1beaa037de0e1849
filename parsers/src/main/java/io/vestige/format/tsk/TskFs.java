package io.vestige.format.tsk;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open TSK file system ({@code TSK_FS_INFO}) with the few operations Vestige needs: list a
 * directory by inode ({@code tsk_fs_dir_open_meta}, {@code tsk_fs_dir_get}), stat an inode and read
 * a file's default data stream ({@code tsk_fs_file_read}). Calls are made under the image lock;
 * counts and read sizes are bounded before any native call.
 */
public final class TskFs implements TskFsHandle {
    /** Largest single native read; bigger requests are split. */
    static final int MAX_READ = 1 << 20;
    private static final int OPEN_FILES = 8;

    private final TskImage image;
    private final Pointer poolImage;
    private final TskPool pool;
    private final TskPoolVolumeInfo poolVolume;
    private Pointer fs;
    private final TskFsInfo info;
    /** A few open TSK_FS_FILEs for sequential reads, closed on eviction. */
    private final LinkedHashMap<Long, Pointer> openFiles = new LinkedHashMap<>(16, 0.75f, true);

    /** One directory entry: its name record and its inode's metadata (null when TSK has none). */
    public record Child(TskFsName name, TskFsMeta meta) {
    }

    TskFs(TskImage image, Pointer fs, Pointer poolImage, TskPool pool, TskPoolVolumeInfo poolVolume) {
        this.image = image;
        this.fs = fs;
        this.poolImage = poolImage;
        this.pool = pool;
        this.poolVolume = poolVolume;
        this.info = TskFsInfo.read(fs);
    }

    @Override
    public TskFsInfo info() {
        return info;
    }

    /** The pool volume this file system is, or {@code null}. */
    public TskPoolVolumeInfo poolVolume() {
        return poolVolume;
    }

    public long rootInum() {
        return info.rootInum();
    }

    /** TSK's name for the type ({@code tsk_fs_type_toname}): {@code hfs}, {@code ntfs}, {@code apfs} … */
    public String tskTypeName() {
        image.lock.lock();
        try {
            String s = image.lib.n.tsk_fs_type_toname(info.ftype());
            return s == null ? info.typeName() : s;
        } finally {
            image.lock.unlock();
        }
    }

    /** The inode's metadata ({@code tsk_fs_file_open_meta}). */
    public TskFsMeta stat(long inum, ParseLimits limits) throws IOException {
        image.lock.lock();
        try {
            Pointer h = handle();
            image.lib.n.tsk_error_reset();
            Pointer f = image.lib.n.tsk_fs_file_open_meta(h, null, inum);
            if (f == null) {
                throw image.lib.error("tsk_fs_file_open_meta inode " + inum, -1, image.external);
            }
            try {
                Pointer meta = f.getPointer(16);
                if (meta == null) {
                    throw new TskException("TSK_FS_FILE", -1, "inode " + inum + " has no metadata");
                }
                return TskFsMeta.read(meta, limits.maxNameLength());
            } finally {
                image.lib.n.tsk_fs_file_close(f);
            }
        } finally {
            image.lock.unlock();
        }
    }

    /**
     * The entries of directory {@code inum} in TSK's order, without {@code .} and {@code ..}; the
     * count is checked against {@code maxDirectoryEntries} before the entries are read.
     */
    public List<Child> list(long inum, ParseLimits limits) throws IOException {
        image.lock.lock();
        try {
            Pointer h = handle();
            image.lib.n.tsk_error_reset();
            Pointer dir = image.lib.n.tsk_fs_dir_open_meta(h, inum);
            if (dir == null) {
                throw image.lib.error("tsk_fs_dir_open_meta inode " + inum, -1, image.external);
            }
            try {
                long count = image.lib.n.tsk_fs_dir_getsize(dir);
                limits.check("maxDirectoryEntries", count, "TSK_FS_DIR of inode " + inum, -1);
                List<Child> out = new ArrayList<>((int) Math.min(count, 4096));
                for (long i = 0; i < count; i++) {
                    Pointer f = image.lib.n.tsk_fs_dir_get(dir, i);
                    if (f == null) {
                        continue;
                    }
                    try {
                        Pointer namePtr = f.getPointer(8);
                        if (namePtr == null) {
                            continue;
                        }
                        TskFsName name = TskFsName.read(namePtr, limits.maxNameLength());
                        if (name.name().equals(".") || name.name().equals("..")) {
                            continue;
                        }
                        Pointer metaPtr = f.getPointer(16);
                        TskFsMeta meta = metaPtr == null ? null : TskFsMeta.read(metaPtr, limits.maxNameLength());
                        out.add(new Child(name, meta));
                    } finally {
                        image.lib.n.tsk_fs_file_close(f);
                    }
                }
                return out;
            } finally {
                image.lib.n.tsk_fs_dir_close(dir);
            }
        } finally {
            image.lock.unlock();
        }
    }

    /**
     * Reads the default data stream of inode {@code inum} at {@code offset} into {@code dst}
     * (at most {@link #MAX_READ} bytes per native call). Returns the bytes read, 0 at the end.
     */
    public int read(long inum, long offset, ByteBuffer dst) throws IOException {
        int want = Math.min(dst.remaining(), MAX_READ);
        if (want == 0) {
            return 0;
        }
        image.lock.lock();
        try (Memory buf = new Memory(want)) {
            Pointer f = openFile(inum);
            image.lib.n.tsk_error_reset();
            long got = image.lib.n.tsk_fs_file_read(f, offset, buf, want, 0);
            if (got < 0) {
                throw image.lib.error("tsk_fs_file_read inode " + inum, offset, image.external);
            }
            if (got > want) {
                throw new TskException("tsk_fs_file_read inode " + inum, offset,
                        "returned " + got + " bytes for a " + want + "-byte request");
            }
            dst.put(buf.getByteArray(0, (int) got));
            return (int) got;
        } finally {
            image.lock.unlock();
        }
    }

    /** Largest attribute count read per file; TSK's own lists are far smaller. */
    static final int MAX_ATTRIBUTES = 4096;

    /** Every attribute of inode {@code inum}, in TSK's index order ({@code tsk_fs_file_attr_get_idx}). */
    public List<TskFsAttr> attributes(long inum, ParseLimits limits) throws IOException {
        image.lock.lock();
        try {
            Pointer f = openFile(inum);
            image.lib.n.tsk_error_reset();
            int count = image.lib.n.tsk_fs_file_attr_getsize(f);
            if (count < 0) {
                throw image.lib.error("tsk_fs_file_attr_getsize inode " + inum, -1, image.external);
            }
            if (count > MAX_ATTRIBUTES) {
                throw new TskException("TSK_FS_ATTRLIST of inode " + inum, -1,
                        count + " attributes, more than " + MAX_ATTRIBUTES);
            }
            List<TskFsAttr> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Pointer a = image.lib.n.tsk_fs_file_attr_get_idx(f, i);
                if (a == null) {
                    throw image.lib.error("tsk_fs_file_attr_get_idx inode " + inum + " #" + i, -1, image.external);
                }
                out.add(TskFsAttr.read(a, limits.maxNameLength()));
            }
            return out;
        } finally {
            image.lock.unlock();
        }
    }

    /** The whole content of attribute {@code idx} of inode {@code inum}, bounded by {@code maxXattrSize}. */
    public byte[] readAttribute(long inum, int idx, ParseLimits limits) throws IOException {
        image.lock.lock();
        try {
            Pointer f = openFile(inum);
            Pointer a = image.lib.n.tsk_fs_file_attr_get_idx(f, idx);
            if (a == null) {
                throw image.lib.error("tsk_fs_file_attr_get_idx inode " + inum + " #" + idx, -1, image.external);
            }
            TskFsAttr attr = TskFsAttr.read(a, limits.maxNameLength());
            limits.check("maxXattrSize", attr.size(), "TSK_FS_ATTR of inode " + inum, -1);
            byte[] out = new byte[(int) attr.size()];
            int done = 0;
            while (done < out.length) {
                int want = Math.min(out.length - done, MAX_READ);
                try (Memory buf = new Memory(want)) {
                    image.lib.n.tsk_error_reset();
                    long got = image.lib.n.tsk_fs_attr_read(a, done, buf, want, 0);
                    if (got <= 0 || got > want) {
                        throw image.lib.error("tsk_fs_attr_read inode " + inum + " #" + idx, done, image.external);
                    }
                    buf.read(0, out, done, (int) got);
                    done += (int) got;
                }
            }
            return out;
        } finally {
            image.lock.unlock();
        }
    }

    /** Size of the default data attribute ({@code tsk_fs_file_attr_get}), or -1 when it has none. */
    @Override
    public long defaultAttributeSize(long inum) throws IOException {
        image.lock.lock();
        try {
            Pointer f = openFile(inum);
            image.lib.n.tsk_error_reset();
            Pointer a = image.lib.n.tsk_fs_file_attr_get(f);
            return a == null ? -1 : TskFsAttr.read(a, 1024).size();
        } finally {
            image.lock.unlock();
        }
    }

    private Pointer openFile(long inum) throws IOException {
        Pointer f = openFiles.get(inum);
        if (f != null) {
            return f;
        }
        Pointer h = handle();
        image.lib.n.tsk_error_reset();
        f = image.lib.n.tsk_fs_file_open_meta(h, null, inum);
        if (f == null) {
            throw image.lib.error("tsk_fs_file_open_meta inode " + inum, -1, image.external);
        }
        openFiles.put(inum, f);
        if (openFiles.size() > OPEN_FILES) {
            Iterator<Map.Entry<Long, Pointer>> it = openFiles.entrySet().iterator();
            Map.Entry<Long, Pointer> eldest = it.next();
            it.remove();
            image.lib.n.tsk_fs_file_close(eldest.getValue());
        }
        return f;
    }

    private Pointer handle() throws IOException {
        if (fs == null) {
            throw new IOException("TSK file system is closed");
        }
        return fs;
    }

    @Override
    public void close() {
        image.lock.lock();
        try {
            if (fs == null) {
                return;
            }
            for (Pointer f : openFiles.values()) {
                image.lib.n.tsk_fs_file_close(f);
            }
            openFiles.clear();
            image.lib.n.tsk_fs_close(fs);
            fs = null;
            if (poolImage != null) {
                image.lib.n.tsk_img_close(poolImage);
            }
            if (pool != null) {
                pool.release();
            } else {
                image.release();
            }
        } finally {
            image.lock.unlock();
        }
    }
}
