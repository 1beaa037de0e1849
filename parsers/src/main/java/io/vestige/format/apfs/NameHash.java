package io.vestige.format.apfs;

import java.text.Normalizer;
import java.util.zip.CRC32C;

/**
 * The 22-bit directory-record name hash of normalization-insensitive volumes (Apple File System
 * Reference, "j_drec_hashed_key_t"): CRC-32C over the name's canonically decomposed (NFD) form as
 * UTF-32LE without a terminator, case-folded first on case-insensitive volumes, taken without the
 * final XOR. Java's Unicode tables may differ from Apple's for rare characters, so directories are
 * enumerated by key range and this hash is only used to check records.
 */
public final class NameHash {
    private NameHash() {
    }

    public static int hash(String name, boolean caseInsensitive) {
        String s = Normalizer.normalize(caseInsensitive ? name.toLowerCase(java.util.Locale.ROOT) : name,
                Normalizer.Form.NFD);
        int[] cps = s.codePoints().toArray();
        byte[] b = new byte[cps.length * 4];
        for (int i = 0; i < cps.length; i++) {
            b[4 * i] = (byte) cps[i];
            b[4 * i + 1] = (byte) (cps[i] >>> 8);
            b[4 * i + 2] = (byte) (cps[i] >>> 16);
            b[4 * i + 3] = (byte) (cps[i] >>> 24);
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length);
        return (int) (~crc.getValue() & 0x3fffff);
    }
}
