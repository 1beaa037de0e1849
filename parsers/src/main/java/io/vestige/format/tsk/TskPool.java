package io.vestige.format.tsk;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An open TSK pool ({@code TSK_POOL_INFO}): in TSK 4.11 that is an APFS container. Its volumes
 * are opened as file systems the way {@code fls -B block} does: the pool hands out an image for
 * the volume ({@code get_img_info}) and {@code tsk_fs_open_img} reads it at the pool's offset.
 */
public final class TskPool implements Closeable {
    private static final int MAX_VOLUMES = 1024;

    private final TskImage image;
    private final long offset;
    private Pointer pool;
    private int refs = 1;
    private boolean closed;

    TskPool(TskImage image, Pointer pool, long offset) {
        this.image = image;
        this.pool = pool;
        this.offset = offset;
    }

    TskPoolInfo info() throws IOException {
        image.lock.lock();
        try {
            return TskPoolInfo.read(handle());
        } finally {
            image.lock.unlock();
        }
    }

    /** The pool's block size in bytes. */
    public long blockSize() throws IOException {
        return info().blockSize();
    }

    /** The volumes, in TSK's order (the container's volume list). */
    public List<TskPoolVolumeInfo> volumes() throws IOException {
        image.lock.lock();
        try {
            TskPoolInfo info = TskPoolInfo.read(handle());
            List<TskPoolVolumeInfo> out = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            Pointer p = info.volList();
            while (p != null && out.size() < MAX_VOLUMES && seen.add(Pointer.nativeValue(p))) {
                out.add(TskPoolVolumeInfo.read(p));
                p = p.getPointer(TskPoolVolumeInfo.OFF_NEXT);
            }
            return out;
        } finally {
            image.lock.unlock();
        }
    }

    /** Opens one volume as a file system. */
    public TskFs openFileSystem(TskPoolVolumeInfo volume) throws IOException {
        image.lock.lock();
        try {
            Pointer h = handle();
            TskPoolInfo info = TskPoolInfo.read(h);
            if (info.getImgInfo() == null) {
                throw new TskException("TSK_POOL_INFO", offset, "pool has no get_img_info function");
            }
            image.lib.n.tsk_error_reset();
            Pointer volImg = (Pointer) Function.getFunction(info.getImgInfo())
                    .invoke(Pointer.class, new Object[] {h, volume.block()});
            if (volImg == null) {
                throw image.lib.error("pool get_img_info(block " + volume.block() + ")", offset, image.external);
            }
            image.lib.n.tsk_error_reset();
            Pointer fs = image.lib.n.tsk_fs_open_img(volImg, offset, TskFsInfo.TYPE_DETECT);
            if (fs == null) {
                TskException e = image.lib.error("tsk_fs_open_img (pool volume block " + volume.block() + ")",
                        offset, image.external);
                image.lib.n.tsk_img_close(volImg);
                throw e;
            }
            refs++;
            return new TskFs(image, fs, volImg, this, volume);
        } finally {
            image.lock.unlock();
        }
    }

    private Pointer handle() throws IOException {
        if (pool == null) {
            throw new IOException("TSK pool is closed");
        }
        return pool;
    }

    /** Called with the image lock held. */
    void release() {
        if (--refs == 0 && pool != null) {
            image.lib.n.tsk_pool_close(pool);
            pool = null;
            image.release();
        }
    }

    @Override
    public void close() {
        image.lock.lock();
        try {
            if (!closed) {
                closed = true;
                release();
            }
        } finally {
            image.lock.unlock();
        }
    }
}
