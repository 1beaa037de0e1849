package io.vestige.format.plist;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;

/**
 * The 32-byte trailer at the end of a {@code bplist00} file (CFBinaryPlistTrailer, big-endian).
 *
 * <table>
 * <caption>Layout from the end of the file minus 32</caption>
 * <tr><th>offset</th><th>size</th><th>field</th></tr>
 * <tr><td>0</td><td>5</td><td>unused</td></tr>
 * <tr><td>5</td><td>1</td><td>sortVersion</td></tr>
 * <tr><td>6</td><td>1</td><td>offsetIntSize (bytes per offset-table entry, 1..8)</td></tr>
 * <tr><td>7</td><td>1</td><td>objectRefSize (bytes per object reference, 1..8)</td></tr>
 * <tr><td>8</td><td>8</td><td>numObjects</td></tr>
 * <tr><td>16</td><td>8</td><td>topObject (index of the root object)</td></tr>
 * <tr><td>24</td><td>8</td><td>offsetTableOffset</td></tr>
 * </table>
 */
record BinaryPlistTrailer(int offsetIntSize, int objectRefSize, long numObjects, long topObject,
                          long offsetTableOffset) {

    static final int SIZE = 32;

    static BinaryPlistTrailer parse(byte[] b) throws ParseException {
        if (b.length < 8 + 1 + SIZE) {
            throw new TruncatedException("binary plist", 0, 8 + 1 + SIZE, b.length);
        }
        int t = b.length - SIZE;
        int offsetIntSize = b[t + 6] & 0xff;
        int objectRefSize = b[t + 7] & 0xff;
        long numObjects = be64(b, t + 8);
        long topObject = be64(b, t + 16);
        long tableOffset = be64(b, t + 24);
        if (offsetIntSize < 1 || offsetIntSize > 8) {
            throw MalformedException.expected("binary plist trailer", t + 6, "offsetIntSize", "1..8", offsetIntSize);
        }
        if (objectRefSize < 1 || objectRefSize > 8) {
            throw MalformedException.expected("binary plist trailer", t + 7, "objectRefSize", "1..8", objectRefSize);
        }
        // each object takes at least one byte and one offset-table entry
        if (numObjects < 1 || Long.compareUnsigned(numObjects, (long) t / (1 + offsetIntSize)) > 0) {
            throw MalformedException.expected("binary plist trailer", t + 8, "numObjects",
                    "1.." + (t / (1 + offsetIntSize)) + " (bounded by the file size)", Long.toUnsignedString(numObjects));
        }
        if (Long.compareUnsigned(topObject, numObjects) >= 0) {
            throw MalformedException.expected("binary plist trailer", t + 16, "topObject", "< " + numObjects,
                    Long.toUnsignedString(topObject));
        }
        if (tableOffset < 9 || Long.compareUnsigned(tableOffset, t) > 0
                || t - tableOffset < numObjects * offsetIntSize) {
            throw MalformedException.expected("binary plist trailer", t + 24, "offsetTableOffset",
                    "9.." + (t - numObjects * offsetIntSize), Long.toUnsignedString(tableOffset));
        }
        return new BinaryPlistTrailer(offsetIntSize, objectRefSize, numObjects, topObject, tableOffset);
    }

    private static long be64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
