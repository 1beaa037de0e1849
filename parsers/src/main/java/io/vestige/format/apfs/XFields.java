package io.vestige.format.apfs;

import io.vestige.io.MalformedException;

/**
 * An {@code xf_blob_t} of extended fields (Apple File System Reference, "Extended Fields"):
 * {@code u16 xf_num_exts, u16 xf_used_data}, then {@code num × x_field_t {u8 type, u8 flags, u16 size}},
 * then the values, each padded to 8 bytes. {@code xf_used_data} counts the values only (apfsprogs).
 */
final class XFields {
    final int[] types;
    final int[] offsets;
    final int[] sizes;
    final byte[] data;

    private XFields(byte[] data, int[] types, int[] offsets, int[] sizes) {
        this.data = data;
        this.types = types;
        this.offsets = offsets;
        this.sizes = sizes;
    }

    static final XFields NONE = new XFields(new byte[0], new int[0], new int[0], new int[0]);

    /** Parses the blob in {@code d[off..end)}; {@code abs} is for messages. */
    static XFields parse(byte[] d, int off, int end, String structure, long abs) throws MalformedException {
        if (end - off < 4) {
            return NONE;
        }
        int n = (d[off] & 0xff) | (d[off + 1] & 0xff) << 8;
        int headers = off + 4;
        int values = headers + 4 * n;
        if (values > end) {
            throw new MalformedException(structure, abs + off, "xf_num_exts " + n + " does not fit in "
                    + (end - off) + " bytes");
        }
        int[] t = new int[n];
        int[] o = new int[n];
        int[] s = new int[n];
        int p = values;
        for (int i = 0; i < n; i++) {
            int h = headers + 4 * i;
            t[i] = d[h] & 0xff;
            s[i] = (d[h + 2] & 0xff) | (d[h + 3] & 0xff) << 8;
            if (p + s[i] > end) {
                throw new MalformedException(structure, abs + h, "extended field " + i + " (type " + t[i] + ", "
                        + s[i] + " bytes) runs past the record");
            }
            o[i] = p;
            p += (s[i] + 7) & ~7;
        }
        return new XFields(d, t, o, s);
    }

    int find(int type) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** A 4-byte (or wider) little-endian value, or 0. */
    long u64OrU32(int idx) {
        if (idx < 0 || sizes[idx] < 4) {
            return 0;
        }
        int o = offsets[idx];
        return (data[o] & 0xffL) | (data[o + 1] & 0xffL) << 8 | (data[o + 2] & 0xffL) << 16 | (data[o + 3] & 0xffL) << 24;
    }

    long u64(int idx, int rel) {
        if (idx < 0 || sizes[idx] < rel + 8) {
            return -1;
        }
        return ObjectMap.le64(data, offsets[idx] + rel);
    }
}
