package io.vestige.format.tsk;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The C functions of libtsk that Vestige calls, declared for JNA. Only the functions in use are
 * declared; the prototypes follow {@code tsk/base/tsk_base.h}, {@code tsk/img/tsk_img.h},
 * {@code tsk/vs/tsk_vs.h}, {@code tsk/pool/tsk_pool.h} and {@code tsk/fs/tsk_fs.h} of The Sleuth
 * Kit 4.11.1 (LP64: {@code size_t}, {@code ssize_t}, {@code TSK_OFF_T}, {@code TSK_INUM_T} and
 * {@code TSK_DADDR_T} are 64-bit; enums are 32-bit ints).
 */
interface TskNative extends Library {

    // tsk_base.h
    String tsk_version_get_str();

    String tsk_error_get();

    int tsk_error_get_errno();

    void tsk_error_reset();

    void tsk_error_set_errno(int errno);

    void tsk_error_set_errstr(String format, Object... args);

    // tsk_img.h
    Pointer tsk_img_open_utf8(int numImg, String[] images, int type, int sectorSize);

    Pointer tsk_img_open_external(Pointer extImgInfo, long size, int sectorSize, ReadCallback read,
                                  CloseCallback close, ImgStatCallback imgstat);

    long tsk_img_read(Pointer img, long offset, Pointer buf, long len);

    void tsk_img_close(Pointer img);

    // tsk_vs.h
    Pointer tsk_vs_open(Pointer img, long offset, int type);

    Pointer tsk_vs_part_get(Pointer vs, int idx);

    String tsk_vs_type_toname(int type);

    void tsk_vs_close(Pointer vs);

    // tsk_pool.h
    Pointer tsk_pool_open_img_sing(Pointer img, long offset, int type);

    void tsk_pool_close(Pointer pool);

    // tsk_fs.h
    Pointer tsk_fs_open_img(Pointer img, long offset, int type);

    String tsk_fs_type_toname(int type);

    void tsk_fs_close(Pointer fs);

    Pointer tsk_fs_dir_open_meta(Pointer fs, long inum);

    long tsk_fs_dir_getsize(Pointer dir);

    Pointer tsk_fs_dir_get(Pointer dir, long idx);

    void tsk_fs_dir_close(Pointer dir);

    Pointer tsk_fs_file_open_meta(Pointer fs, Pointer file, long inum);

    long tsk_fs_file_read(Pointer file, long offset, Pointer buf, long len, int flags);

    void tsk_fs_file_close(Pointer file);

    Pointer tsk_fs_file_attr_get(Pointer file);

    int tsk_fs_file_attr_getsize(Pointer file);

    Pointer tsk_fs_file_attr_get_idx(Pointer file, int idx);

    long tsk_fs_attr_read(Pointer attr, long offset, Pointer buf, long len, int flags);

    /** {@code ssize_t (*read)(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf, size_t len)}. */
    interface ReadCallback extends Callback {
        long invoke(Pointer img, long offset, Pointer buf, long len);
    }

    /** {@code void (*close)(TSK_IMG_INFO *)}. */
    interface CloseCallback extends Callback {
        void invoke(Pointer img);
    }

    /** {@code void (*imgstat)(TSK_IMG_INFO *, FILE *)}. */
    interface ImgStatCallback extends Callback {
        void invoke(Pointer img, Pointer file);
    }
}
