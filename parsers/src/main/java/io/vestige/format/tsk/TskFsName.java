package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_FS_NAME} ({@code tsk/fs/tsk_fs.h}): one directory entry. TSK has already turned the
 * on-disk name into UTF-8 (HFS+ control characters such as the NULs of the private-data folder
 * become {@code ^}).
 *
 * <table>
 * <caption>TSK_FS_NAME, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>int</td><td>tag ({@code 0x23147869})</td></tr>
 * <tr><td>8</td><td>char *</td><td>name (UTF-8)</td></tr>
 * <tr><td>16</td><td>size_t</td><td>name_size (bytes allocated)</td></tr>
 * <tr><td>24</td><td>char *</td><td>shrt_name (FAT/NTFS 8.3 name)</td></tr>
 * <tr><td>40</td><td>TSK_INUM_T</td><td>meta_addr</td></tr>
 * <tr><td>48</td><td>uint32</td><td>meta_seq</td></tr>
 * <tr><td>56</td><td>TSK_INUM_T</td><td>par_addr</td></tr>
 * <tr><td>72</td><td>uint64</td><td>date_added (APFS only, nanoseconds since 1970)</td></tr>
 * <tr><td>80</td><td>enum</td><td>type (TSK_FS_NAME_TYPE_ENUM)</td></tr>
 * <tr><td>84</td><td>enum</td><td>flags (1 allocated, 2 unallocated)</td></tr>
 * </table>
 */
record TskFsName(int tag, String name, String shortName, long metaAddr, long metaSeq, long parAddr, long dateAdded,
                 int type, int flags) {
    static final int TAG = 0x23147869;
    static final int FLAG_ALLOC = 0x01;
    static final int FLAG_UNALLOC = 0x02;

    static final int TYPE_UNDEF = 0;
    static final int TYPE_FIFO = 1;
    static final int TYPE_CHR = 2;
    static final int TYPE_DIR = 3;
    static final int TYPE_BLK = 4;
    static final int TYPE_REG = 5;
    static final int TYPE_LNK = 6;
    static final int TYPE_SOCK = 7;
    static final int TYPE_SHAD = 8;
    static final int TYPE_WHT = 9;
    static final int TYPE_VIRT = 10;
    static final int TYPE_VIRT_DIR = 11;

    static TskFsName read(Pointer p, int maxName) {
        Pointer n = p.getPointer(8);
        Pointer s = p.getPointer(24);
        return new TskFsName(p.getInt(0), n == null ? "" : TskLibrary.cString(n, maxName),
                s == null ? null : TskLibrary.cString(s, maxName), p.getLong(40), Integer.toUnsignedLong(p.getInt(48)),
                p.getLong(56), p.getLong(72), p.getInt(80), p.getInt(84));
    }

    boolean allocated() {
        return (flags & FLAG_ALLOC) != 0;
    }
}
