package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_POOL_VOLUME_INFO} ({@code tsk/pool/tsk_pool.h}): one volume of a pool (an APFS
 * volume of a container), linked through {@code next}.
 *
 * <table>
 * <caption>TSK_POOL_VOLUME_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>uint32</td><td>tag ({@code 0x50564F4C})</td></tr>
 * <tr><td>4</td><td>int</td><td>index</td></tr>
 * <tr><td>8</td><td>char *</td><td>desc (the volume name)</td></tr>
 * <tr><td>16</td><td>char *</td><td>password_hint</td></tr>
 * <tr><td>24</td><td>uint64</td><td>block (APFS: the volume superblock block, {@code fls -B})</td></tr>
 * <tr><td>32</td><td>uint64</td><td>num_blocks</td></tr>
 * <tr><td>40</td><td>pointer</td><td>next</td></tr>
 * <tr><td>56</td><td>enum</td><td>flags (1 encrypted, 2 case-sensitive)</td></tr>
 * </table>
 */
public record TskPoolVolumeInfo(int index, String desc, long block, long numBlocks, int flags) {
    static final int TAG = 0x50564F4C;
    static final int OFF_NEXT = 40;
    static final int FLAG_ENCRYPTED = 0x01;
    static final int FLAG_CASE_SENSITIVE = 0x02;

    static TskPoolVolumeInfo read(Pointer p) {
        Pointer d = p.getPointer(8);
        return new TskPoolVolumeInfo(p.getInt(4), d == null ? "" : TskLibrary.cString(d, 4096), p.getLong(24),
                p.getLong(32), p.getInt(56));
    }

    public boolean encrypted() {
        return (flags & FLAG_ENCRYPTED) != 0;
    }
}
