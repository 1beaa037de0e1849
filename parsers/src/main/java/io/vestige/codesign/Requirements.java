package io.vestige.codesign;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requirement set ({@code 0xfade0c01}): 0 magic, 4 length, 8 count, then {@code count} ×
 * {u32 type, u32 offset} pointing at {@code 0xfade0c00} requirement blobs. Types: 1 host, 2 guest,
 * 3 designated, 4 library, 5 plugin. Spec: FORMATS.md 5.6.
 */
public final class Requirements {
    public static final long HOST = 1;
    public static final long GUEST = 2;
    public static final long DESIGNATED = 3;
    public static final long LIBRARY = 4;
    public static final long PLUGIN = 5;

    private Requirements() {
    }

    public static String typeName(long t) {
        return switch ((int) t) {
            case 1 -> "host";
            case 2 -> "guest";
            case 3 -> "designated";
            case 4 -> "library";
            case 5 -> "plugin";
            default -> "type-" + t;
        };
    }

    /** Parses a requirement set into type → requirement (sorted by type). */
    public static Map<Long, Requirement> parse(byte[] blob, long base) throws ParseException {
        String s = "requirement set";
        if (blob.length < 12) {
            throw new TruncatedException(s, base, 12, blob.length);
        }
        StructReader r = StructReader.be(blob, base, s);
        if (r.u32(0) != CodeSigning.CSMAGIC_REQUIREMENTS) {
            throw new BadMagicException(s, base, "0xfade0c01", String.format("0x%08x", r.u32(0)));
        }
        long count = r.u32(8);
        if (count > (blob.length - 12) / 8) {
            throw new MalformedException(s, base + 8, "count " + count + " does not fit in " + blob.length + " bytes");
        }
        Map<Long, Requirement> out = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            long type = r.u32(12 + 8 * i);
            long off = r.u32(16 + 8 * i);
            if (off < 12 + 8 * count || off + 12 > blob.length) {
                throw new MalformedException(s, base + 16 + 8L * i, "requirement offset " + off + " outside the set");
            }
            long len = r.u32((int) off + 4);
            if (len < 12 || len > blob.length - off) {
                throw new MalformedException(s, base + off + 4, "requirement length " + len + " outside the set");
            }
            out.put(type, Requirement.parse(r.bytes((int) off, (int) len), base + off));
        }
        return out;
    }
}
