package io.vestige.format.tsk;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.vestige.io.ParseLimits;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open TSK image ({@code TSK_IMG_INFO}): host image files or a Vestige byte source. Every
 * native call on this image and on the volume systems, pools and file systems opened from it is
 * made under one lock, so the handles may be shared between threads. Reference-counted: the
 * native image is freed when its opener and every file system opened from it are closed.
 */
public final class TskImage implements Closeable {
    final TskLibrary lib;
    final ReentrantLock lock = new ReentrantLock();
    private final Memory externalMemory;
    final TskLibrary.External external;
    private final String describe;
    private Pointer img;
    private int refs = 1;
    private boolean closed;

    TskImage(TskLibrary lib, Pointer img, Memory externalMemory, TskLibrary.External external, String describe) {
        this.lib = lib;
        this.img = img;
        this.externalMemory = externalMemory;
        this.external = external;
        this.describe = describe;
    }

    /** The image's size in bytes as TSK sees it. */
    public long size() throws IOException {
        lock.lock();
        try {
            return TskImgInfo.read(handle()).size();
        } finally {
            lock.unlock();
        }
    }

    /** The header fields of the open TSK_IMG_INFO. */
    TskImgInfo info() throws IOException {
        lock.lock();
        try {
            return TskImgInfo.read(handle());
        } finally {
            lock.unlock();
        }
    }

    public String describe() {
        return describe;
    }

    /**
     * The volume system at {@code offset} ({@code tsk_vs_open} with detection), with every slot TSK
     * reports, or {@code null} when TSK finds none.
     */
    public TskVsInfo volumeSystem(long offset, ParseLimits limits) throws IOException {
        lock.lock();
        try {
            Pointer h = handle();
            lib.n.tsk_error_reset();
            Pointer vs = lib.n.tsk_vs_open(h, offset, 0);
            if (vs == null) {
                return null;
            }
            try {
                long count = Integer.toUnsignedLong(vs.getInt(TskVsInfo.OFF_PART_COUNT));
                limits.check("maxTableEntries", count, "TSK_VS_INFO part_count", offset);
                List<TskVsPartInfo> parts = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Pointer p = lib.n.tsk_vs_part_get(vs, i);
                    if (p != null) {
                        parts.add(TskVsPartInfo.read(p));
                    }
                }
                int type = vs.getInt(TskVsInfo.OFF_VSTYPE);
                String name = lib.n.tsk_vs_type_toname(type);
                return new TskVsInfo(type, name == null ? "0x" + Integer.toHexString(type) : name,
                        vs.getInt(TskVsInfo.OFF_IS_BACKUP) != 0, vs.getLong(TskVsInfo.OFF_OFFSET),
                        Integer.toUnsignedLong(vs.getInt(TskVsInfo.OFF_BLOCK_SIZE)), parts);
            } finally {
                lib.n.tsk_vs_close(vs);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Opens the file system at byte {@code offset}, detecting its type ({@code tsk_fs_open_img}). */
    public TskFs openFileSystem(long offset) throws IOException {
        lock.lock();
        try {
            Pointer h = handle();
            lib.n.tsk_error_reset();
            Pointer fs = lib.n.tsk_fs_open_img(h, offset, TskFsInfo.TYPE_DETECT);
            if (fs == null) {
                throw lib.error("tsk_fs_open_img", offset, external);
            }
            refs++;
            return new TskFs(this, fs, null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /** Opens the pool (APFS container) at byte {@code offset} ({@code tsk_pool_open_img_sing}). */
    public TskPool openPool(long offset) throws IOException {
        lock.lock();
        try {
            Pointer h = handle();
            lib.n.tsk_error_reset();
            Pointer pool = lib.n.tsk_pool_open_img_sing(h, offset, TskPoolInfo.TYPE_DETECT);
            if (pool == null) {
                throw lib.error("tsk_pool_open_img_sing", offset, external);
            }
            refs++;
            return new TskPool(this, pool, offset);
        } finally {
            lock.unlock();
        }
    }

    Pointer handle() throws IOException {
        if (img == null) {
            throw new IOException("TSK image " + describe + " is closed");
        }
        return img;
    }

    /** Called with the lock held by children that are closing. */
    void release() {
        if (--refs == 0 && img != null) {
            lib.n.tsk_img_close(img);
            img = null;
            if (externalMemory != null) {
                TskLibrary.forgetExternal(externalMemory);
                externalMemory.close();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                release();
            }
        } finally {
            lock.unlock();
        }
    }
}
