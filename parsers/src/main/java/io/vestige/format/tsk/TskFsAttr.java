package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_FS_ATTR} ({@code tsk/fs/tsk_fs.h}): one attribute of a file — its data fork, an HFS+/APFS
 * resource fork, extended attribute or compression record, an NTFS stream.
 *
 * <table>
 * <caption>TSK_FS_ATTR, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>TSK_FS_ATTR *</td><td>next</td></tr>
 * <tr><td>16</td><td>enum</td><td>flags (0x01 in use, 0x04 non-resident, 0x08 resident, 0x20 compressed)</td></tr>
 * <tr><td>24</td><td>char *</td><td>name (UTF-8, may be NULL)</td></tr>
 * <tr><td>40</td><td>enum</td><td>type (TSK_FS_ATTR_TYPE_ENUM)</td></tr>
 * <tr><td>44</td><td>uint16</td><td>id</td></tr>
 * <tr><td>48</td><td>TSK_OFF_T</td><td>size</td></tr>
 * </table>
 */
record TskFsAttr(int flags, String name, int type, int id, long size) {
    static final int TYPE_DEFAULT = 0x01;
    static final int TYPE_NTFS_DATA = 0x80;
    static final int TYPE_HFS_DATA = 0x1100;
    static final int TYPE_HFS_RSRC = 0x1101;
    static final int TYPE_HFS_EXT_ATTR = 0x1102;
    static final int TYPE_HFS_COMP_REC = 0x1103;

    static TskFsAttr read(Pointer p, int maxName) {
        Pointer n = p.getPointer(24);
        return new TskFsAttr(p.getInt(16), n == null ? null : TskLibrary.cString(n, maxName), p.getInt(40),
                Short.toUnsignedInt(p.getShort(44)), p.getLong(48));
    }

    /**
     * The name Vestige gives this attribute as an extended attribute (macOS conventions for the
     * resource fork and the compression record), or {@code null} when it is not one.
     */
    String xattrName() {
        return switch (type) {
            case TYPE_HFS_RSRC -> "com.apple.ResourceFork";
            case TYPE_HFS_COMP_REC -> "com.apple.decmpfs";
            case TYPE_HFS_EXT_ATTR -> name == null || name.isEmpty() ? null : name;
            case TYPE_NTFS_DATA -> name == null || name.isEmpty() || name.equals("$Data") ? null : name;
            default -> null;
        };
    }
}
