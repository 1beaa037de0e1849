package io.vestige.io;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Bounds-checked reads of fixed-layout fields from a byte array that holds one on-disk structure.
 * Offsets are relative to the structure; errors carry the structure name and the absolute offset
 * ({@code base + relative}) so that messages point at the evidence bytes. Unsigned fields are
 * returned in wider types.
 */
public final class StructReader {
    private final byte[] b;
    private final long base;
    private final String structure;
    private final boolean littleEndian;

    public StructReader(byte[] bytes, long base, String structure, boolean littleEndian) {
        this.b = bytes;
        this.base = base;
        this.structure = structure;
        this.littleEndian = littleEndian;
    }

    public static StructReader le(byte[] bytes, long base, String structure) {
        return new StructReader(bytes, base, structure, true);
    }

    public static StructReader be(byte[] bytes, long base, String structure) {
        return new StructReader(bytes, base, structure, false);
    }

    public int length() {
        return b.length;
    }

    public long base() {
        return base;
    }

    public String structure() {
        return structure;
    }

    public byte[] array() {
        return b;
    }

    private void need(int off, int n) throws TruncatedException {
        if (off < 0 || n < 0 || off > b.length - n) {
            throw new TruncatedException(structure, base + Math.max(0, off), off + (long) n, b.length);
        }
    }

    public int u8(int off) throws TruncatedException {
        need(off, 1);
        return b[off] & 0xff;
    }

    public int u16(int off) throws TruncatedException {
        need(off, 2);
        return littleEndian
                ? (b[off] & 0xff) | (b[off + 1] & 0xff) << 8
                : (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    public long u32(int off) throws TruncatedException {
        return Integer.toUnsignedLong(s32(off));
    }

    public int s32(int off) throws TruncatedException {
        need(off, 4);
        if (littleEndian) {
            return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
        }
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /** 64-bit value; callers treat it as unsigned where the format says so (compare with {@link Long#compareUnsigned}). */
    public long u64(int off) throws TruncatedException {
        need(off, 8);
        long lo = Integer.toUnsignedLong(s32(littleEndian ? off : off + 4));
        long hi = Integer.toUnsignedLong(s32(littleEndian ? off + 4 : off));
        return hi << 32 | lo;
    }

    public byte[] bytes(int off, int len) throws TruncatedException {
        need(off, len);
        byte[] r = new byte[len];
        System.arraycopy(b, off, r, 0, len);
        return r;
    }

    /** ASCII/UTF-8 text up to the first NUL within {@code len} bytes. */
    public String cstring(int off, int len) throws TruncatedException {
        need(off, len);
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** A UUID stored as 16 raw big-endian bytes (APFS, Mach-O, unified logs). */
    public UUID uuidBE(int off) throws TruncatedException {
        need(off, 16);
        StructReader be = new StructReader(b, base, structure, false);
        return new UUID(be.u64(off), be.u64(off + 8));
    }

    /** A GUID in mixed-endian form (GPT, EWF2): first three fields little-endian. */
    public UUID guidMixed(int off) throws TruncatedException {
        need(off, 16);
        StructReader le = new StructReader(b, base, structure, true);
        StructReader be = new StructReader(b, base, structure, false);
        long d1 = le.u32(off);
        long d2 = le.u16(off + 4);
        long d3 = le.u16(off + 6);
        long msb = d1 << 32 | d2 << 16 | d3;
        long lsb = be.u64(off + 8);
        return new UUID(msb, lsb);
    }

    /** Absolute offset of a relative field, for messages. */
    public long at(int off) {
        return base + off;
    }
}
