package io.vestige.format.unifiedlog.tracev3;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A catalog chunk (tag 0x600b): the UUIDs, subsystem/category strings and process entries that the
 * following chunksets refer to (FORMATS §6.2). Offsets from the chunk start:
 *
 * <table>
 * <caption>Catalog chunk</caption>
 * <tr><th>offset</th><th>field</th></tr>
 * <tr><td>16</td><td>u16 subsystem-strings offset (relative to 40; also the UUID array size)</td></tr>
 * <tr><td>18</td><td>u16 process-entries offset</td></tr>
 * <tr><td>20</td><td>u16 process-entry count</td></tr>
 * <tr><td>22</td><td>u16 sub-chunks offset</td></tr>
 * <tr><td>24</td><td>u16 sub-chunk count</td></tr>
 * <tr><td>32</td><td>u64 earliest firehose time</td></tr>
 * <tr><td>40</td><td>UUIDs (16 bytes each), strings, process entries, sub-chunks</td></tr>
 * </table>
 *
 * Process entry: u16 index, u16 unknown, u16 main UUID index, u16 dsc UUID index (0xFFFF none), u64
 * first proc id, u32 second proc id, u32 pid, u32 euid, u32 unknown, u32 UUID-info count, u32 unknown,
 * UUID infos {u32 size, u32 unknown, u16 UUID index, 48-bit load address}, u32 subsystem count, u32
 * unknown, subsystems {u16 id, u16 subsystem offset, u16 category offset}, padding to 8.
 */
final class Catalog {
    static final int TAG = 0x600b;

    record UuidInfo(long size, int uuidIndex, long loadAddress) {
    }

    record ProcessEntry(int mainUuidIndex, int dscUuidIndex, long procId1, long procId2, long pid, long euid,
                        List<UuidInfo> images, Map<Integer, int[]> subsystems) {
    }

    final UUID[] uuids;
    final byte[] strings;
    final Map<ProcKey, ProcessEntry> processes;
    final long earliest;

    record ProcKey(long first, long second) {
    }

    private Catalog(UUID[] uuids, byte[] strings, Map<ProcKey, ProcessEntry> processes, long earliest) {
        this.uuids = uuids;
        this.strings = strings;
        this.processes = processes;
        this.earliest = earliest;
    }

    ProcessEntry process(long first, long second) {
        return processes.get(new ProcKey(first, second));
    }

    UUID uuid(int index) {
        return index >= 0 && index < uuids.length ? uuids[index] : null;
    }

    String string(int off) {
        if (off < 0 || off >= strings.length) {
            return null;
        }
        int e = off;
        while (e < strings.length && strings[e] != 0) {
            e++;
        }
        return new String(strings, off, e - off, StandardCharsets.UTF_8);
    }

    static Catalog parse(byte[] c, long base, ParseLimits limits) throws TruncatedException, MalformedException,
            io.vestige.io.LimitExceededException {
        StructReader r = StructReader.le(c, base, "tracev3 catalog");
        int stringsOff = r.u16(16);
        int procOff = r.u16(18);
        int procCount = r.u16(20);
        long earliest = r.u64(32);
        if (stringsOff % 16 != 0 || procOff < stringsOff) {
            throw new MalformedException("tracev3 catalog", base + 16,
                    "offsets inconsistent: strings " + stringsOff + ", processes " + procOff);
        }
        int n = stringsOff / 16;
        UUID[] uuids = new UUID[n];
        for (int i = 0; i < n; i++) {
            uuids[i] = r.uuidBE(40 + i * 16);
        }
        byte[] strings = r.bytes(40 + stringsOff, procOff - stringsOff);
        Map<ProcKey, ProcessEntry> procs = new HashMap<>();
        int o = 40 + procOff;
        for (int i = 0; i < procCount; i++) {
            int main = r.u16(o + 4);
            int dsc = r.u16(o + 6);
            long p1 = r.u64(o + 8);
            long p2 = r.u32(o + 16);
            long pid = r.u32(o + 20);
            long euid = r.u32(o + 24);
            long nImages = r.u32(o + 32);
            o += 40;
            if (nImages > (c.length - o) / 16) {
                throw new TruncatedException("tracev3 catalog process entry", base + o, nImages * 16, c.length - o);
            }
            limits.check("maxTableEntries", nImages, "tracev3 catalog process entry", base + o);
            List<UuidInfo> images = new ArrayList<>((int) nImages);
            for (int k = 0; k < nImages; k++) {
                long size = r.u32(o);
                int idx = r.u16(o + 8);
                long load = r.u32(o + 10) | (long) r.u16(o + 14) << 32;
                images.add(new UuidInfo(size, idx, load));
                o += 16;
            }
            long nSub = r.u32(o);
            o += 8;
            if (nSub > (c.length - o) / 6) {
                throw new TruncatedException("tracev3 catalog subsystems", base + o, nSub * 6, c.length - o);
            }
            Map<Integer, int[]> subs = new HashMap<>();
            for (int k = 0; k < nSub; k++) {
                subs.put(r.u16(o), new int[] {r.u16(o + 2), r.u16(o + 4)});
                o += 6;
            }
            int pad = (int) ((8 - (nSub * 6) % 8) % 8);
            o += pad;
            procs.put(new ProcKey(p1, p2), new ProcessEntry(main, dsc, p1, p2, pid, euid, images, subs));
        }
        return new Catalog(uuids, strings, procs, earliest);
    }
}
