package io.vestige.format.udif;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;

/**
 * The trailer of an encrypted DMG, version 1 ({@code cdsaencr}, the last 1276 bytes of the file,
 * ending with the signature; BE). Layout from the public vfdecrypt and john's {@code dmg2john}
 * ({@code cencrypted_v1_header}):
 *
 * <pre>
 *   0 48 unknown   48 u32 PBKDF2 iterations   52 u32 salt size   56 salt[48]   104 unwrap IV[32]
 * 136 u32 wrapped AES key size   140 wrapped AES key[296]
 * 436 u32 wrapped HMAC-SHA1 key size   440 wrapped HMAC key[300]
 * 740 u32 wrapped integrity key size   744 wrapped integrity key[48]   792 484 unknown (… "cdsaencr")
 * </pre>
 */
public record CdsaencrHeader(long offset, long iterations, byte[] salt, byte[] wrappedAesKey, byte[] wrappedHmacKey) {
    public static final int SIZE = 1276;

    public static CdsaencrHeader parse(byte[] b, long offset) throws ParseException {
        String s = "cdsaencr trailer";
        if (b.length < SIZE) {
            throw new TruncatedException(s, offset, SIZE, b.length);
        }
        StructReader r = StructReader.be(b, offset, s);
        long saltLen = r.u32(52);
        long aesLen = r.u32(136);
        long hmacLen = r.u32(436);
        if (saltLen > 48 || aesLen > 296 || hmacLen > 300 || aesLen % 8 != 0 || hmacLen % 8 != 0) {
            throw new MalformedException(s, offset, "salt/key sizes " + saltLen + "/" + aesLen + "/" + hmacLen + " out of range");
        }
        return new CdsaencrHeader(offset, r.u32(48), r.bytes(56, (int) saltLen), r.bytes(140, (int) aesLen),
                r.bytes(440, (int) hmacLen));
    }
}
