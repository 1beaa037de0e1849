package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_IMG_INFO} ({@code tsk/img/tsk_img.h}), the handle of an open disk image. Only the
 * leading fields are read. The position of the {@code read}/{@code close}/{@code imgstat} function
 * pointers depends on {@code sizeof(tsk_lock_t)} (a {@code pthread_mutex_t} in multi-threaded builds),
 * so {@link TskLibrary} finds it by behaviour when the library is loaded.
 *
 * <table>
 * <caption>TSK_IMG_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>uint32</td><td>tag ({@code 0x39204231})</td></tr>
 * <tr><td>4</td><td>enum</td><td>itype</td></tr>
 * <tr><td>8</td><td>int64</td><td>size</td></tr>
 * <tr><td>16</td><td>int</td><td>num_img</td></tr>
 * <tr><td>20</td><td>uint32</td><td>sector_size</td></tr>
 * <tr><td>32</td><td>char **</td><td>images</td></tr>
 * <tr><td>40</td><td>tsk_lock_t</td><td>cache_lock, then the 32 x 64 KiB read cache and its tables</td></tr>
 * <tr><td>80</td><td>char[32][65536]</td><td>cache</td></tr>
 * <tr><td>2097232 / 2097488 / 2097616</td><td>int64[32] / int[32] / size_t[32]</td><td>cache_off / cache_age / cache_len</td></tr>
 * <tr><td>2097872 (pthread build; 2097840 single-threaded)</td><td>fn *</td><td>read, close, imgstat</td></tr>
 * </table>
 */
record TskImgInfo(int tag, int itype, long size, int numImg, long sectorSize) {
    static final int TAG = 0x39204231;
    static final int OFF_TAG = 0;
    static final int OFF_ITYPE = 4;
    static final int OFF_SIZE = 8;
    static final int OFF_NUM_IMG = 16;
    static final int OFF_SECTOR_SIZE = 20;
    /** Where {@code read} sits when {@code tsk_lock_t} is a 40-byte {@code pthread_mutex_t}. */
    static final int OFF_READ_PTHREAD = 2097872;
    /** Where {@code read} sits when {@code tsk_lock_t} is a single pointer (single-threaded build). */
    static final int OFF_READ_NOTHREAD = 2097840;

    static final int TYPE_DETECT = 0x0000;
    static final int TYPE_EXTERNAL = 0x1000;

    static TskImgInfo read(Pointer p) {
        return new TskImgInfo(p.getInt(OFF_TAG), p.getInt(OFF_ITYPE), p.getLong(OFF_SIZE), p.getInt(OFF_NUM_IMG),
                Integer.toUnsignedLong(p.getInt(OFF_SECTOR_SIZE)));
    }
}
