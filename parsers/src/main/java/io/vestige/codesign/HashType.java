package io.vestige.codesign;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** CodeDirectory hash types ({@code CS_HASHTYPE_*}, cs_blobs.h) with their digest and stored sizes. */
public enum HashType {
    SHA1(1, "sha1", "SHA-1", 20),
    SHA256(2, "sha256", "SHA-256", 32),
    /** SHA-256 truncated to 20 bytes. */
    SHA256_TRUNCATED(3, "sha256-truncated", "SHA-256", 20),
    SHA384(4, "sha384", "SHA-384", 48);

    private final int code;
    private final String label;
    private final String jca;
    private final int size;

    HashType(int code, String label, String jca, int size) {
        this.code = code;
        this.label = label;
        this.jca = jca;
        this.size = size;
    }

    public int code() {
        return code;
    }

    /** The name used in reports ({@code sha256}). */
    public String label() {
        return label;
    }

    /** Stored digest size in bytes (the CodeDirectory's hashSize). */
    public int size() {
        return size;
    }

    public String jcaName() {
        return jca;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jca, e);
        }
    }

    /** Digest of {@code data} truncated to {@link #size()}. */
    public byte[] digest(byte[] data, int off, int len) {
        MessageDigest md = newDigest();
        md.update(data, off, len);
        return truncate(md.digest());
    }

    byte[] truncate(byte[] full) {
        return full.length == size ? full : java.util.Arrays.copyOf(full, size);
    }

    /** The hash type for a code, or {@code null} when unknown. */
    public static HashType of(int code) {
        for (HashType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Strength order used to pick the CodeDirectory to report (SHA-384 > SHA-256 > truncated > SHA-1). */
    int strength() {
        return switch (this) {
            case SHA1 -> 0;
            case SHA256_TRUNCATED -> 1;
            case SHA256 -> 2;
            case SHA384 -> 3;
        };
    }
}
