package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypted DMGs: {@code encrcdsa} (v2, header at the start) is detected and, with a password
 * ({@link OpenOptions#password()} or the {@code passwordFile} setting), decrypted: PBKDF2-HMAC-SHA1
 * derives the key-encryption key, which unwraps the key blob (3DES-EDE3-CBC, or AES-CBC in newer
 * images) into the AES data key and the HMAC-SHA1 key; each data block is AES-CBC with IV =
 * HMAC-SHA1(hmacKey, block number as BE u32) truncated to 16 bytes. The decrypted payload is
 * opened as a UDIF image when it ends with a koly block, otherwise exposed as raw media.
 * {@code cdsaencr} (v1, 1276-byte trailer at the end) is decrypted the way vfdecrypt does (see
 * {@link #unwrapV1}).
 * References: vfdecrypt (Weinmann, Appelbaum, Fromme), john's dmg2john, citruz/dmgwiz.
 * Caveat: v2 is checked on one Apple-made AES-256 image (citruz/dmgwiz tests/input_aes256.dmg) and the
 * fixture writer; v1 only against the fixture writer (no hdiutil here, no v1 sample).
 */
public final class EncryptedDmgFormat implements ContainerFormat {
    static final int MAX_HEADER = 64 * 1024;
    static final long MAX_ITERATIONS = 50_000_000L;

    @Override
    public String name() {
        return "encrypted-dmg";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory() || candidate.size() < 8) {
            return false;
        }
        return EncrcdsaHeader.looksLike(candidate.head(8)) || isV1(candidate.tail(8));
    }

    static boolean isV1(byte[] tail) {
        return tail.length == 8 && new String(tail, StandardCharsets.ISO_8859_1).equals("cdsaencr");
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path path = candidate.path();
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        boolean host = UdifFormat.isHostFile(candidate);
        ByteSource file = host ? ByteSources.open(path) : candidate.source();
        try {
            if (!EncrcdsaHeader.looksLike(file.readAtMost(0, 8))) {
                return openV1(file, host, name, options);
            }
            EncrcdsaHeader h = EncrcdsaHeader.parse(file.readAtMost(0, MAX_HEADER));
            String what = "encrypted DMG (encrcdsa v2, AES-" + h.dataKeyBits() + ")";
            char[] pw = password(options);
            if (pw == null) {
                throw new DmgPasswordException("encrcdsa header", 0, what + "; supply --password or --password-file", true);
            }
            Keys k = unwrap(h, pw);
            ByteSource plain = decryptedSource(file, h, k, name);
            Map<String, Object> enc = new LinkedHashMap<>();
            enc.put("scheme", "encrcdsa v2");
            enc.put("cipher", "AES-" + h.dataKeyBits() + "-CBC");
            enc.put("blockSize", h.blockSize());
            enc.put("dataSize", h.dataSize());
            enc.put("kdf", "PBKDF2-HMAC-SHA1, " + h.iterations() + " iterations");
            enc.put("keyWrap", h.blobAlgorithm() == EncrcdsaHeader.CSSM_ALGID_AES ? "AES-CBC" : "3DES-EDE3-CBC");
            enc.put("uuid", h.uuid().toString());
            return payloadContainer(plain, file, host, name, enc, options);
        } catch (IOException | RuntimeException e) {
            if (host) {
                file.close();
            }
            throw e;
        }
    }

    /**
     * Version 1: the key blobs are wrapped the way vfdecrypt undoes them (RFC 3217-style 3DES key
     * unwrap with the fixed IV 0x4adda22c79e82105, then a second 3DES-CBC pass keyed by the reversed
     * first result; the key follows a 4-byte prefix); the data are 4096-byte AES-128-CBC blocks from
     * offset 0 up to the trailer. Untested on Apple-made images.
     */
    private Container openV1(ByteSource file, boolean host, String name, OpenOptions options) throws IOException {
        if (file.size() < CdsaencrHeader.SIZE) {
            throw new TruncatedException("cdsaencr trailer", 0, CdsaencrHeader.SIZE, file.size());
        }
        long at = file.size() - CdsaencrHeader.SIZE;
        CdsaencrHeader h = CdsaencrHeader.parse(file.readBytes(at, CdsaencrHeader.SIZE), at);
        String what = "encrypted DMG (cdsaencr v1, AES-128)";
        char[] pw = password(options);
        if (pw == null) {
            throw new DmgPasswordException("cdsaencr trailer", at, what + "; supply --password or --password-file", true);
        }
        long iterations = h.iterations() == 0 ? 1000 : h.iterations();
        if (iterations > MAX_ITERATIONS) {
            throw new LimitExceededException("cdsaencr trailer", at + 48, "PBKDF2 iterations", MAX_ITERATIONS, iterations);
        }
        byte[] aes;
        byte[] hmac;
        try {
            byte[] kek = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(pw, h.salt(), (int) iterations, 192)).getEncoded();
            aes = unwrapV1(kek, h.wrappedAesKey(), 16, at + 140);
            hmac = unwrapV1(kek, h.wrappedHmacKey(), 20, at + 440);
        } catch (GeneralSecurityException e) {
            throw new MalformedException("cdsaencr trailer", at, "cannot unwrap the keys: " + e, e);
        }
        long dataSize = at / 4096 * 4096;
        ByteSource plain = ByteSources.cached(new Decrypting(file, 0, dataSize, 4096, new Keys(aes, hmac), name), 4096, 2048);
        Map<String, Object> enc = new LinkedHashMap<>();
        enc.put("scheme", "cdsaencr v1");
        enc.put("cipher", "AES-128-CBC");
        enc.put("blockSize", 4096L);
        enc.put("kdf", "PBKDF2-HMAC-SHA1, " + iterations + " iterations");
        enc.put("keyWrap", "3DES-EDE3 (RFC 3217 style)");
        return payloadContainer(plain, file, host, name, enc, options);
    }

    static byte[] unwrapV1(byte[] kek, byte[] wrapped, int keyLen, long at) throws GeneralSecurityException, DmgPasswordException {
        SecretKeySpec k = new SecretKeySpec(kek, "DESede");
        Cipher c = Cipher.getInstance("DESede/CBC/PKCS5Padding");
        byte[] temp1;
        byte[] cekicv;
        try {
            c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(V1_WRAP_IV));
            temp1 = c.doFinal(wrapped);
            byte[] temp2 = new byte[temp1.length];
            for (int i = 0; i < temp1.length; i++) {
                temp2[i] = temp1[temp1.length - 1 - i];
            }
            if (temp2.length < 16) {
                throw new DmgPasswordException("cdsaencr trailer", at, "wrong password: a wrapped key does not unwrap", false);
            }
            c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(temp2, 0, 8));
            cekicv = c.doFinal(temp2, 8, temp2.length - 8);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new DmgPasswordException("cdsaencr trailer", at, "wrong password: a wrapped key does not unwrap", false);
        }
        if (cekicv.length != 4 + keyLen) {
            throw new DmgPasswordException("cdsaencr trailer", at, "wrong password: an unwrapped key has "
                    + (cekicv.length - 4) + " bytes, expected " + keyLen, false);
        }
        return Arrays.copyOfRange(cekicv, 4, 4 + keyLen);
    }

    /** The fixed IV of the RFC 3217 (CMS 3DES key wrap) outer layer. */
    private static final byte[] V1_WRAP_IV = {0x4a, (byte) 0xdd, (byte) 0xa2, 0x2c, 0x79, (byte) 0xe8, 0x21, 0x05};

    /**
     * Opens decrypted bytes as UDIF when they end with a koly trailer — v1 payloads are padded to
     * whole blocks, so the trailer is looked for in the last block too — else as raw media.
     */
    private static Container payloadContainer(ByteSource plain, ByteSource file, boolean host, String name,
                                              Map<String, Object> enc, OpenOptions options) throws IOException {
        long kolyEnd = -1;
        int window = 4096 + Koly.SIZE;
        if (plain.size() >= Koly.SIZE) {
            long from = Math.max(0, plain.size() - window);
            byte[] tail = plain.readBytes(from, (int) (plain.size() - from));
            for (int i = tail.length - Koly.SIZE; i >= 0; i--) {
                if (tail[i] == 'k' && Koly.looksLike(java.util.Arrays.copyOfRange(tail, i, i + Koly.SIZE))) {
                    kolyEnd = from + i + Koly.SIZE;
                    break;
                }
            }
        }
        if (kolyEnd > 0) {
            UdifImage img = UdifImage.open(kolyEnd == plain.size() ? plain : plain.slice(0, kolyEnd), false, name, null, options);
            Map<String, Object> details = new TreeMap<>(img.details());
            details.put("encryption", enc);
            ContainerInfo info = new ContainerInfo("udif", img.media().size(), UdifImage.SECTOR, List.of(name),
                    Map.of(), Map.of(), details);
            return new MediaContainer(info, name, img.media(), img.diagnostics(), host ? List.of(img, file) : List.of(img));
        }
        Map<String, Object> details = new TreeMap<>();
        details.put("encryption", enc);
        ContainerInfo info = new ContainerInfo("encrypted-dmg", plain.size(), 512, List.of(name), Map.of(), Map.of(), details);
        return new MediaContainer(info, name, plain, List.of(), host ? List.of(file) : List.of());
    }

    static char[] password(OpenOptions options) throws IOException {
        if (options.password() != null) {
            return options.password();
        }
        Path f = options.passwordFile();
        if (f == null) {
            return null;
        }
        String s = Files.readString(f, StandardCharsets.UTF_8);
        // a trailing newline is not part of the password
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end).toCharArray();
    }

    record Keys(byte[] aes, byte[] hmac) {
    }

    static Keys unwrap(EncrcdsaHeader h, char[] password) throws IOException {
        String s = "encrcdsa password header";
        long at = h.passwordHeaderOffset();
        if (h.kdfAlgorithm() != EncrcdsaHeader.CSSM_ALGID_PKCS5_PBKDF2) {
            throw new UnsupportedFormatException(s, at, "key derivation algorithm " + h.kdfAlgorithm() + " (only 103 = PBKDF2)");
        }
        if (h.iterations() == 0 || h.iterations() > MAX_ITERATIONS) {
            throw new LimitExceededException(s, at + 8, "PBKDF2 iterations", MAX_ITERATIONS, h.iterations());
        }
        if (h.dataKeyBits() != 128 && h.dataKeyBits() != 256) {
            throw new UnsupportedFormatException("encrcdsa header", 24, "data key size " + h.dataKeyBits() + " bits");
        }
        String transform;
        int kekLen;
        int ivLen;
        if (h.blobAlgorithm() == EncrcdsaHeader.CSSM_ALGID_3DES_3KEY_EDE) {
            transform = "DESede/CBC/PKCS5Padding";
            kekLen = 24;
            ivLen = 8;
        } else if (h.blobAlgorithm() == EncrcdsaHeader.CSSM_ALGID_AES && (h.blobKeyBits() == 128 || h.blobKeyBits() == 192 || h.blobKeyBits() == 256)) {
            transform = "AES/CBC/PKCS5Padding";
            kekLen = (int) h.blobKeyBits() / 8;
            ivLen = 16;
        } else {
            throw new UnsupportedFormatException(s, at + 88, "key blob algorithm " + h.blobAlgorithm() + " / " + h.blobKeyBits() + " bits");
        }
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
            byte[] kek = f.generateSecret(new PBEKeySpec(password, h.salt(), (int) h.iterations(), kekLen * 8)).getEncoded();
            byte[] iv = Arrays.copyOf(h.blobIv(), ivLen); // images state 8 bytes; AES zero-extends (dmgwiz)
            Cipher c = Cipher.getInstance(transform);
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, transform.startsWith("AES") ? "AES" : "DESede"), new IvParameterSpec(iv));
            byte[] blob;
            try {
                blob = c.doFinal(h.keyBlob());
            } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
                throw new DmgPasswordException(s, at, "wrong password: the key blob does not decrypt", false);
            }
            int aes = (int) h.dataKeyBits() / 8;
            int hmac = 20;
            if (blob.length < aes + hmac) {
                throw new DmgPasswordException(s, at, "wrong password: the key blob decrypts to " + blob.length
                        + " bytes, expected at least " + (aes + hmac), false);
            }
            return new Keys(Arrays.copyOfRange(blob, 0, aes), Arrays.copyOfRange(blob, aes, aes + hmac));
        } catch (GeneralSecurityException e) {
            throw new MalformedException(s, at, "cannot unwrap the key blob: " + e, e);
        }
    }

    static ByteSource decryptedSource(ByteSource file, EncrcdsaHeader h, Keys k, String name) throws IOException {
        long bs = h.blockSize();
        if (bs < 16 || bs % 16 != 0 || bs > (1 << 24)) {
            throw MalformedException.expected("encrcdsa header", 52, "block size", "a multiple of 16 up to 16 MiB", bs);
        }
        if (Long.compareUnsigned(h.dataOffset(), file.size()) > 0) {
            throw new TruncatedException("encrcdsa header", 64, "data offset " + Long.toUnsignedString(h.dataOffset())
                    + " beyond the " + file.size() + "-byte file");
        }
        long blocks = (h.dataSize() + bs - 1) / bs;
        if (h.dataSize() < 0 || Long.compareUnsigned(blocks * bs, file.size() - h.dataOffset()) > 0) {
            throw new TruncatedException("encrcdsa data", h.dataOffset(), "data size " + Long.toUnsignedString(h.dataSize())
                    + " (in " + bs + "-byte blocks) runs past the end of the file");
        }
        return ByteSources.cached(new Decrypting(file, h.dataOffset(), h.dataSize(), (int) bs, k, name), (int) bs,
                (int) Math.max(16, (8 << 20) / bs));
    }

    /** Decrypts whole blocks on demand; cipher objects per thread. */
    static final class Decrypting implements ByteSource {
        private final ByteSource file;
        private final long base;
        private final long size;
        private final int bs;
        private final String name;
        private final ThreadLocal<Cipher> cipher;
        private final ThreadLocal<Mac> mac;
        private final SecretKeySpec aesKey;

        Decrypting(ByteSource file, long base, long size, int bs, Keys k, String name) {
            this.file = file;
            this.base = base;
            this.size = size;
            this.bs = bs;
            this.name = name;
            this.aesKey = new SecretKeySpec(k.aes(), "AES");
            SecretKeySpec hk = new SecretKeySpec(k.hmac(), "HmacSHA1");
            this.cipher = ThreadLocal.withInitial(() -> {
                try {
                    return Cipher.getInstance("AES/CBC/NoPadding");
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    Mac m = Mac.getInstance("HmacSHA1");
                    m.init(hk);
                    return m;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String describe() {
            return name + " (decrypted)";
        }

        @Override
        public void close() throws IOException {
            file.close();
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
            if (offset >= size) {
                return -1;
            }
            int total = 0;
            long pos = offset;
            byte[] ct = new byte[bs];
            while (dst.hasRemaining() && pos < size) {
                long block = pos / bs;
                int in = (int) (pos - block * bs);
                file.readFully(base + block * bs, ct, 0, bs);
                byte[] pt;
                try {
                    Mac m = mac.get();
                    byte[] iv = Arrays.copyOf(m.doFinal(ByteBuffer.allocate(4).putInt((int) block).array()), 16);
                    Cipher c = cipher.get();
                    c.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(iv));
                    pt = c.doFinal(ct);
                } catch (GeneralSecurityException e) {
                    throw new MalformedException("encrcdsa block " + block, base + block * bs, "decryption failed: " + e, e);
                }
                int n = (int) Math.min(Math.min(dst.remaining(), bs - in), size - pos);
                dst.put(pt, in, n);
                pos += n;
                total += n;
            }
            return total;
        }
    }
}
