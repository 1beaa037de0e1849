package io.vestige.format.udif;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.StructReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic Mac resource fork in which old UDIF images keep their {@code blkx} resources (koly
 * resource-fork offset/length) instead of an XML plist. Layout per Inside Macintosh: More Macintosh
 * Toolbox, "Resource Manager" (all BE):
 *
 * <pre>
 * header:   0 u32 data offset   4 u32 map offset   8 u32 data length   12 u32 map length
 * map:      0 16 copy of header  16 u32 handle  20 u16 file ref  22 u16 attributes
 *           24 u16 type-list offset (from map)  26 u16 name-list offset (from map)
 * type list: u16 (types - 1), then 8-byte entries: 4 type, u16 (count - 1), u16 ref-list offset (from type list)
 * reference: u16 id, u16 name offset (from name list; 0xffff none), u8 attributes, u24 data offset (from data), u32 handle
 * data:      u32 length, bytes         name: u8 length, MacRoman bytes
 * </pre>
 */
final class ResourceFork {
    private ResourceFork() {
    }

    /** One resource: its id, name (may be empty) and bytes. */
    record Resource(String type, int id, String name, int attributes, byte[] data) {
    }

    /** All resources of {@code type} in the fork bytes {@code b} (read at absolute {@code where}). */
    static List<Resource> read(byte[] b, long where, String type, ParseLimits limits) throws ParseException {
        String structure = "UDIF resource fork";
        StructReader r = StructReader.be(b, where, structure);
        long dataOff = r.u32(0);
        long mapOff = r.u32(4);
        long dataLen = r.u32(8);
        long mapLen = r.u32(12);
        if (dataOff > b.length || mapOff > b.length || dataLen > b.length - dataOff || mapLen > b.length - mapOff || mapLen < 28) {
            throw new MalformedException(structure, where, "data/map ranges " + dataOff + "+" + dataLen + ", "
                    + mapOff + "+" + mapLen + " do not fit the " + b.length + "-byte fork");
        }
        int map = (int) mapOff;
        int typeList = map + r.u16(map + 24);
        int nameList = map + r.u16(map + 26);
        int nTypes = (r.u16(typeList) + 1) & 0xffff;
        List<Resource> out = new ArrayList<>();
        for (int t = 0; t < nTypes; t++) {
            int te = typeList + 2 + t * 8;
            String tname = new String(r.bytes(te, 4), StandardCharsets.ISO_8859_1);
            if (!tname.equals(type)) {
                continue;
            }
            int count = r.u16(te + 4) + 1;
            limits.check("maxTableEntries", count, structure, r.at(te + 4));
            int refList = typeList + r.u16(te + 6);
            for (int i = 0; i < count; i++) {
                int re = refList + i * 12;
                int id = (short) r.u16(re);
                int nameOff = r.u16(re + 2);
                int attrs = r.u8(re + 4);
                long off = (long) r.u8(re + 5) << 16 | r.u16(re + 6);
                long at = dataOff + off;
                if (at > b.length - 4) {
                    throw new MalformedException(structure, r.at(re + 5), "resource data offset " + off + " outside the fork");
                }
                long len = r.u32((int) at);
                limits.check("maxMetadataSize", len, structure, r.at((int) at));
                byte[] data = r.bytes((int) at + 4, (int) len);
                String name = "";
                if (nameOff != 0xffff) {
                    int np = nameList + nameOff;
                    int nl = r.u8(np);
                    name = new String(r.bytes(np + 1, nl), StandardCharsets.ISO_8859_1);
                }
                out.add(new Resource(tname, id, name, attrs, data));
            }
        }
        return out;
    }
}
