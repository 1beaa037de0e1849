package io.vestige.format.udif;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.UUID;

/**
 * The header of an encrypted DMG, version 2 ({@code encrcdsa}, at offset 0, BE), with its password
 * key header. Layout after libyal-free public sources: vfdecrypt / john's {@code dmg2john} (packed
 * {@code cencrypted_v2_header}, key-header pointers, {@code cencrypted_v2_password_header}) and
 * citruz/dmgwiz {@code crypto/header.rs} (which key sizes the fields at 24 and 32 give).
 *
 * <pre>
 *  0 "encrcdsa"  8 u32 version (2)  12 u32 IV size  16 u32 mode  20 u32 algorithm
 * 24 u32 data key bits (128/256)  28 u32 PRNG algorithm  32 u32 HMAC key bits (160)  36 16-byte UUID
 * 52 u32 block size  56 u64 data size  64 u64 data offset  72 u32 key count
 * 76 key pointers, 20 bytes each: u32 type (1 = password), u64 offset, u64 size
 * password key header: 0 u32 KDF algorithm (103 = PBKDF2)  4 u32 KDF PRNG  8 u32 iterations  12 u32 salt size
 *   16 salt[32]  48 u32 blob IV size  52 IV[32]  84 u32 blob key bits  88 u32 blob algorithm (17 = 3DES-EDE)
 *   92 u32 padding (7 = PKCS7)  96 u32 mode (6 = CBC)  100 u32 key blob size  104 key blob
 * </pre>
 */
public record EncrcdsaHeader(long version, long dataKeyBits, long hmacKeyBits, UUID uuid, long blockSize,
                             long dataSize, long dataOffset, long keyCount, long passwordHeaderOffset,
                             long kdfAlgorithm, long kdfPrng, long iterations, byte[] salt, byte[] blobIv,
                             long blobKeyBits, long blobAlgorithm, long blobPadding, long blobMode, byte[] keyBlob) {

    public static final long CSSM_ALGID_PKCS5_PBKDF2 = 103;
    public static final long CSSM_ALGID_3DES_3KEY_EDE = 17;
    public static final long CSSM_ALGID_AES = 0x80000001L;
    static final long KEY_TYPE_PASSWORD = 1;

    static boolean looksLike(byte[] head) {
        return head.length >= 8 && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("encrcdsa");
    }

    /** Parses the header from the first {@code b.length} bytes of the file (at least the key headers). */
    public static EncrcdsaHeader parse(byte[] b) throws ParseException {
        String s = "encrcdsa header";
        if (!looksLike(b)) {
            throw new BadMagicException(s, 0, "encrcdsa", b.length < 8 ? "(short)" : new String(b, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        StructReader r = StructReader.be(b, 0, s);
        long version = r.u32(8);
        if (version != 2) {
            throw MalformedException.expected(s, 8, "version", 2, version);
        }
        long keyCount = r.u32(72);
        if (keyCount == 0 || keyCount > 64) {
            throw MalformedException.expected(s, 72, "key count", "1..64", keyCount);
        }
        long pw = -1;
        for (int i = 0; i < keyCount; i++) {
            int o = 76 + 20 * i;
            if (r.u32(o) == KEY_TYPE_PASSWORD) {
                pw = r.u64(o + 4);
                break;
            }
        }
        if (pw < 0) {
            throw new io.vestige.io.UnsupportedFormatException(s, 76, "no password key header (only certificate/other keys)");
        }
        if (pw > b.length - 104) {
            throw new TruncatedException("encrcdsa password header", pw, 104, Math.max(0, b.length - pw));
        }
        int p = (int) pw;
        long saltLen = r.u32(p + 12);
        long ivLen = r.u32(p + 48);
        long blobLen = r.u32(p + 100);
        if (saltLen > 32 || ivLen > 32 || blobLen > 512 || p + 104 + blobLen > b.length) {
            throw new MalformedException("encrcdsa password header", pw, "salt/IV/key blob sizes " + saltLen + "/"
                    + ivLen + "/" + blobLen + " out of range");
        }
        return new EncrcdsaHeader(version, r.u32(24), r.u32(32), r.uuidBE(36), r.u32(52), r.u64(56), r.u64(64), keyCount, pw,
                r.u32(p), r.u32(p + 4), r.u32(p + 8), r.bytes(p + 16, (int) saltLen), r.bytes(p + 52, (int) ivLen),
                r.u32(p + 84), r.u32(p + 88), r.u32(p + 92), r.u32(p + 96), r.bytes(p + 104, (int) blobLen));
    }
}
