package io.vestige.format.tsk;

import java.util.List;

/**
 * {@code TSK_VS_INFO} ({@code tsk/vs/tsk_vs.h}) with its partition slots, as {@code mmls} shows
 * them.
 *
 * <table>
 * <caption>TSK_VS_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>int</td><td>tag ({@code 0x52301642})</td></tr>
 * <tr><td>16</td><td>enum</td><td>vstype (1 DOS, 2 BSD, 4 Sun, 8 Mac, 0x10 GPT)</td></tr>
 * <tr><td>20</td><td>int</td><td>is_backup</td></tr>
 * <tr><td>24</td><td>TSK_DADDR_T</td><td>offset (bytes)</td></tr>
 * <tr><td>32</td><td>uint32</td><td>block_size</td></tr>
 * <tr><td>40</td><td>TSK_VS_PART_INFO *</td><td>part_list</td></tr>
 * <tr><td>48</td><td>uint32</td><td>part_count</td></tr>
 * </table>
 *
 * @param typeName TSK's short name of the scheme ({@code gpt}, {@code dos}, {@code mac} …)
 */
public record TskVsInfo(int vstype, String typeName, boolean backup, long offset, long blockSize,
                        List<TskVsPartInfo> parts) {
    static final int TAG = 0x52301642;
    static final int OFF_VSTYPE = 16;
    static final int OFF_IS_BACKUP = 20;
    static final int OFF_OFFSET = 24;
    static final int OFF_BLOCK_SIZE = 32;
    static final int OFF_PART_COUNT = 48;

    public TskVsInfo {
        parts = List.copyOf(parts);
    }
}
