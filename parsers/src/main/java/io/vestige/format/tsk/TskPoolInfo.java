package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_POOL_INFO} ({@code tsk/pool/tsk_pool.h}): an open pool (APFS container).
 *
 * <table>
 * <caption>TSK_POOL_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>uint32</td><td>tag ({@code 0x504F4C4C})</td></tr>
 * <tr><td>4</td><td>enum</td><td>ctype (1 = APFS)</td></tr>
 * <tr><td>8</td><td>uint32</td><td>block_size</td></tr>
 * <tr><td>16</td><td>uint64</td><td>num_blocks</td></tr>
 * <tr><td>24</td><td>int</td><td>num_vols</td></tr>
 * <tr><td>32</td><td>uint64</td><td>img_offset</td></tr>
 * <tr><td>40</td><td>TSK_POOL_VOLUME_INFO *</td><td>vol_list</td></tr>
 * <tr><td>64</td><td>fn *</td><td>get_img_info(pool, pvol_block)</td></tr>
 * </table>
 */
record TskPoolInfo(int tag, int ctype, long blockSize, long numBlocks, int numVols, long imgOffset, Pointer volList,
                   Pointer getImgInfo) {
    static final int TAG = 0x504F4C4C;
    static final int TYPE_DETECT = 0;
    static final int TYPE_APFS = 1;

    static TskPoolInfo read(Pointer p) {
        return new TskPoolInfo(p.getInt(0), p.getInt(4), Integer.toUnsignedLong(p.getInt(8)), p.getLong(16),
                p.getInt(24), p.getLong(32), p.getPointer(40), p.getPointer(64));
    }
}
