package io.vestige.format.apfs;

/**
 * {@code j_file_extent_key_t}/{@code j_file_extent_val_t}, one run of a data stream (or the same
 * fields from a sealed volume's {@code fext_tree}).
 *
 * <pre>
 * key:   0 u64 obj_id_and_type (private id, type 8)  8 u64 logical_addr
 * value: 0 u64 len_and_flags (length low 56 bits)  8 u64 phys_block_num (0 = hole)  16 u64 crypto_id
 * fext:  key {u64 private_id, u64 logical_addr}, value {u64 len_and_flags, u64 phys_block_num}
 * </pre>
 */
public record JFileExtent(long logicalAddr, long length, int flags, long physBlock, long cryptoId) {
    static final long LEN_MASK = 0x00ffffffffffffffL;
}
