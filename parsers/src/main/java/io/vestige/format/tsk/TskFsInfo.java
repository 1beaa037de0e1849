package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_FS_INFO} ({@code tsk/fs/tsk_fs.h}), the handle of an open file system; only the
 * leading, layout-stable fields are read.
 *
 * <table>
 * <caption>TSK_FS_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>int</td><td>tag ({@code 0x10101010})</td></tr>
 * <tr><td>8</td><td>TSK_IMG_INFO *</td><td>img_info</td></tr>
 * <tr><td>16</td><td>TSK_OFF_T</td><td>offset</td></tr>
 * <tr><td>24</td><td>TSK_INUM_T</td><td>inum_count</td></tr>
 * <tr><td>32</td><td>TSK_INUM_T</td><td>root_inum</td></tr>
 * <tr><td>40</td><td>TSK_INUM_T</td><td>first_inum</td></tr>
 * <tr><td>48</td><td>TSK_INUM_T</td><td>last_inum</td></tr>
 * <tr><td>56</td><td>TSK_DADDR_T</td><td>block_count</td></tr>
 * <tr><td>88</td><td>uint32</td><td>block_size</td></tr>
 * <tr><td>112</td><td>enum</td><td>ftype</td></tr>
 * <tr><td>128</td><td>enum</td><td>flags ({@code 0x02} have nanoseconds, {@code 0x04} encrypted)</td></tr>
 * </table>
 */
record TskFsInfo(int tag, long offset, long inumCount, long rootInum, long firstInum, long lastInum, long blockCount,
                 long blockSize, int ftype, int flags) {
    static final int TAG = 0x10101010;
    static final int FLAG_HAVE_NANOSEC = 0x02;
    static final int FLAG_ENCRYPTED = 0x04;

    static final int TYPE_DETECT = 0;
    static final int TYPE_NTFS = 0x00000001;
    static final int TYPE_FAT_DETECT = 0x0000000e;
    static final int TYPE_EXFAT = 0x0000000a;
    static final int TYPE_FFS_DETECT = 0x00000070;
    static final int TYPE_EXT2 = 0x00000080;
    static final int TYPE_EXT3 = 0x00000100;
    static final int TYPE_EXT4 = 0x00002000;
    static final int TYPE_ISO9660 = 0x00000800;
    static final int TYPE_HFS = 0x00001000;
    static final int TYPE_HFS_LEGACY = 0x00008000;
    static final int TYPE_YAFFS2 = 0x00004000;
    static final int TYPE_APFS = 0x00010000;

    static TskFsInfo read(Pointer p) {
        return new TskFsInfo(p.getInt(0), p.getLong(16), p.getLong(24), p.getLong(32), p.getLong(40), p.getLong(48),
                p.getLong(56), Integer.toUnsignedLong(p.getInt(88)), p.getInt(112), p.getInt(128));
    }

    /** A short, Vestige-style name of the file-system type ({@code hfsplus}, {@code ntfs} …). */
    String typeName() {
        int t = ftype;
        if (t == TYPE_NTFS) {
            return "ntfs";
        } else if (t == TYPE_EXFAT) {
            return "exfat";
        } else if ((t & TYPE_FAT_DETECT) != 0) {
            return "fat";
        } else if ((t & TYPE_FFS_DETECT) != 0) {
            return "ufs";
        } else if (t == TYPE_EXT2) {
            return "ext2";
        } else if (t == TYPE_EXT3) {
            return "ext3";
        } else if (t == TYPE_EXT4) {
            return "ext4";
        } else if (t == TYPE_ISO9660) {
            return "iso9660";
        } else if (t == TYPE_HFS) {
            return "hfsplus";
        } else if (t == TYPE_HFS_LEGACY) {
            return "hfs";
        } else if (t == TYPE_YAFFS2) {
            return "yaffs2";
        } else if (t == TYPE_APFS) {
            return "apfs";
        }
        return "tsk-0x" + Integer.toHexString(t);
    }
}
