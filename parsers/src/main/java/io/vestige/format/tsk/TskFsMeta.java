package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_FS_META} ({@code tsk/fs/tsk_fs.h}): an inode's metadata as TSK generalises it. Times
 * are {@code time_t} seconds plus a separate nanosecond field; TSK stores 0 for a time the file
 * system does not have.
 *
 * <table>
 * <caption>TSK_FS_META, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>int</td><td>tag ({@code 0x13524635})</td></tr>
 * <tr><td>4</td><td>enum</td><td>flags (1 alloc, 2 unalloc, 0x10 compressed)</td></tr>
 * <tr><td>8</td><td>TSK_INUM_T</td><td>addr</td></tr>
 * <tr><td>16</td><td>enum</td><td>type (TSK_FS_META_TYPE_ENUM)</td></tr>
 * <tr><td>20</td><td>enum</td><td>mode (permission bits only)</td></tr>
 * <tr><td>24</td><td>int</td><td>nlink</td></tr>
 * <tr><td>32</td><td>TSK_OFF_T</td><td>size</td></tr>
 * <tr><td>40</td><td>uint32</td><td>uid</td></tr>
 * <tr><td>44</td><td>uint32</td><td>gid</td></tr>
 * <tr><td>48 / 56</td><td>time_t / uint32</td><td>mtime / mtime_nano</td></tr>
 * <tr><td>64 / 72</td><td>time_t / uint32</td><td>atime / atime_nano</td></tr>
 * <tr><td>80 / 88</td><td>time_t / uint32</td><td>ctime / ctime_nano</td></tr>
 * <tr><td>96 / 104</td><td>time_t / uint32</td><td>crtime / crtime_nano</td></tr>
 * <tr><td>112</td><td>union (72)</td><td>time2 (ext2 dtime, HFS backup time, NTFS $FILE_NAME times)</td></tr>
 * <tr><td>216</td><td>uint32</td><td>seq</td></tr>
 * <tr><td>248</td><td>char *</td><td>link (symlink target, UTF-8)</td></tr>
 * </table>
 */
record TskFsMeta(int tag, int flags, long addr, int type, int mode, int nlink, long size, long uid, long gid,
                 long mtime, int mtimeNano, long atime, int atimeNano, long ctime, int ctimeNano,
                 long crtime, int crtimeNano, long seq, String link) {
    static final int TAG = 0x13524635;
    static final int OFF_LINK = 248;
    static final int FLAG_ALLOC = 0x01;
    static final int FLAG_COMP = 0x10;

    static final int TYPE_UNDEF = 0x00;
    static final int TYPE_REG = 0x01;
    static final int TYPE_DIR = 0x02;
    static final int TYPE_FIFO = 0x03;
    static final int TYPE_CHR = 0x04;
    static final int TYPE_BLK = 0x05;
    static final int TYPE_LNK = 0x06;
    static final int TYPE_SHAD = 0x07;
    static final int TYPE_SOCK = 0x08;
    static final int TYPE_WHT = 0x09;
    static final int TYPE_VIRT = 0x0a;
    static final int TYPE_VIRT_DIR = 0x0b;

    static TskFsMeta read(Pointer p, int maxLink) {
        Pointer linkPtr = p.getPointer(OFF_LINK);
        String link = linkPtr == null ? null : TskLibrary.cString(linkPtr, maxLink);
        return new TskFsMeta(p.getInt(0), p.getInt(4), p.getLong(8), p.getInt(16), p.getInt(20), p.getInt(24),
                p.getLong(32), Integer.toUnsignedLong(p.getInt(40)), Integer.toUnsignedLong(p.getInt(44)),
                p.getLong(48), p.getInt(56), p.getLong(64), p.getInt(72), p.getLong(80), p.getInt(88),
                p.getLong(96), p.getInt(104), Integer.toUnsignedLong(p.getInt(216)), link);
    }

    boolean compressed() {
        return (flags & FLAG_COMP) != 0;
    }
}
