package io.vestige.format.tsk;

import com.sun.jna.Pointer;

/**
 * {@code TSK_VS_PART_INFO} ({@code tsk/vs/tsk_vs.h}): one slot of a volume system as {@code mmls}
 * prints it, including TSK's synthetic "Unallocated" and "Meta" slots (see {@link #flags}).
 *
 * <table>
 * <caption>TSK_VS_PART_INFO, x86_64</caption>
 * <tr><th>offset</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>int</td><td>tag</td></tr>
 * <tr><td>32</td><td>TSK_DADDR_T</td><td>start (sectors)</td></tr>
 * <tr><td>40</td><td>TSK_DADDR_T</td><td>len (sectors)</td></tr>
 * <tr><td>48</td><td>char *</td><td>desc</td></tr>
 * <tr><td>56</td><td>int8</td><td>table_num</td></tr>
 * <tr><td>57</td><td>int8</td><td>slot_num</td></tr>
 * <tr><td>60</td><td>uint32</td><td>addr</td></tr>
 * <tr><td>64</td><td>enum</td><td>flags (1 alloc, 2 unalloc, 4 meta)</td></tr>
 * </table>
 *
 * @param start  first sector, relative to the image
 * @param length number of sectors
 */
public record TskVsPartInfo(long addr, long start, long length, String desc, int tableNum, int slotNum, int flags) {
    static final int FLAG_ALLOC = 0x01;
    static final int FLAG_UNALLOC = 0x02;
    static final int FLAG_META = 0x04;

    static TskVsPartInfo read(Pointer p) {
        Pointer d = p.getPointer(48);
        return new TskVsPartInfo(Integer.toUnsignedLong(p.getInt(60)), p.getLong(32), p.getLong(40),
                d == null ? "" : TskLibrary.cString(d, 4096), p.getByte(56), p.getByte(57), p.getInt(64));
    }

    /** True for a real partition (not TSK's unallocated or metadata filler slots). */
    public boolean allocated() {
        return (flags & FLAG_ALLOC) != 0;
    }
}
