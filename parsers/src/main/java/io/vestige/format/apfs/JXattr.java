package io.vestige.format.apfs;

/**
 * An extended attribute: {@code j_xattr_key_t} (u64 obj_id_and_type, u16 name_len, name) and
 * {@code j_xattr_val_t} (Apple File System Reference, "Extended Attributes").
 *
 * <pre>
 * value: 0 u16 flags (1 data stream, 2 embedded, 4 file-system owned)  2 u16 xdata_len  4 xdata
 * data stream form: xdata = {u64 xattr_obj_id, j_dstream {u64 size, u64 alloced_size, …}}
 * </pre>
 *
 * @param embedded the inline data, or null when stored in a data stream
 */
public record JXattr(long ownerId, String name, int flags, byte[] embedded, long streamId, long streamSize) {
    public static final int DATA_STREAM = 1;
    public static final int DATA_EMBEDDED = 2;

    public long size() {
        return embedded != null ? embedded.length : streamSize;
    }
}
