package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.BadMagicException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.UUID;

/**
 * The header chunk (tag 0x1000) that opens every tracev3 file (FORMATS §6.2). Offsets are from
 * the chunk start (16-byte chunk preamble included):
 *
 * <table>
 * <caption>Header chunk</caption>
 * <tr><th>offset</th><th>field</th></tr>
 * <tr><td>16</td><td>u32 timebase numerator</td></tr>
 * <tr><td>20</td><td>u32 timebase denominator (1/1 Intel, 125/3 Apple silicon)</td></tr>
 * <tr><td>24</td><td>u64 continuous time at the wall-clock sample</td></tr>
 * <tr><td>32</td><td>u64 wall-clock seconds since 1970</td></tr>
 * <tr><td>40</td><td>u32 wall-clock microseconds</td></tr>
 * <tr><td>44</td><td>s32 time-zone bias in minutes</td></tr>
 * <tr><td>48</td><td>u32 daylight-saving flag</td></tr>
 * <tr><td>52</td><td>u32 flags</td></tr>
 * <tr><td>56</td><td>sub-chunks {u32 tag, u32 size, data}: 0x6100 continuous time, 0x6101 build and
 * hardware model, 0x6102 boot UUID and logd pid, 0x6103 time-zone path</td></tr>
 * </table>
 */
public record Tracev3Header(long timebaseNumerator, long timebaseDenominator, long continuousTime, long wallSeconds,
                            long wallMicros, int biasMinutes, long dst, long flags, UUID bootUuid, long logdPid,
                            String build, String hardwareModel, String timezonePath) {

    static final int TAG = 0x1000;

    static Tracev3Header parse(byte[] chunk, long base) throws TruncatedException, BadMagicException {
        StructReader r = StructReader.le(chunk, base, "tracev3 header chunk");
        if (r.u32(0) != TAG) {
            throw new BadMagicException("tracev3 header chunk", base, "tag 0x1000", "0x" + Long.toHexString(r.u32(0)));
        }
        long numer = r.u32(16);
        long denom = r.u32(20);
        long ct = r.u64(24);
        long wall = r.u64(32);
        long micros = r.u32(40);
        int bias = r.s32(44);
        long dst = r.u32(48);
        long flags = r.u32(52);
        UUID boot = null;
        long pid = -1;
        String build = null;
        String model = null;
        String tz = null;
        int end = (int) Math.min(chunk.length, 16 + r.u64(8));
        int o = 56;
        while (o + 8 <= end) {
            long tag = r.u32(o);
            long size = r.u32(o + 4);
            int d = o + 8;
            if (size > end - d) {
                break;
            }
            int n = (int) size;
            if (tag == 0x6101 && n >= 8 + 16) {
                build = r.cstring(d + 8, 16);
                model = r.cstring(d + 24, Math.min(32, n - 24));
            } else if (tag == 0x6102 && n >= 16) {
                boot = r.uuidBE(d);
                if (n >= 20) {
                    pid = r.u32(d + 16);
                }
            } else if (tag == 0x6103 && n > 0) {
                tz = r.cstring(d, n);
            }
            o = d + n;
        }
        return new Tracev3Header(numer, denom, ct, wall, micros, bias, dst, flags, boot, pid, build, model, tz);
    }
}
