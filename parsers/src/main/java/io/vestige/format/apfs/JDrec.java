package io.vestige.format.apfs;

/**
 * A directory entry: {@code j_drec_hashed_key_t}/{@code j_drec_key_t} plus {@code j_drec_val_t}
 * (Apple File System Reference, "File-System Objects").
 *
 * <pre>
 * key:  0 u64 obj_id_and_type (parent dir, type 9)
 *       hashed: 8 u32 name_len_and_hash (len incl. NUL in bits 0-9, hash bits 10-31), 12 name
 *       plain:  8 u16 name_len, 10 name
 * value: 0 u64 file_id  8 u64 date_added (ns)  16 u16 flags (&amp;0xF = DT_ type)  18 xfields
 *        (type 1 = sibling id)
 * </pre>
 */
public record JDrec(long parentId, String name, long fileId, long dateAdded, int flags, long siblingId,
                    int nameHash) {
    static final int XF_SIBLING_ID = 1;

    /** The DT_* type from the flags (4 directory, 8 regular, 10 symlink …). */
    public int dtType() {
        return flags & 0xf;
    }
}
