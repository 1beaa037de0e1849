package io.vestige.hunt;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5, SHA-1 and SHA-256 of a byte source in one streaming pass. */
public record Digests(String md5, String sha1, String sha256, long size) {

    public static Digests of(ByteSource src) throws IOException {
        MessageDigest md5 = md("MD5");
        MessageDigest sha1 = md("SHA-1");
        MessageDigest sha256 = md("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        long size = src.size();
        while (pos < size) {
            buf.clear();
            int n = src.read(pos, buf);
            if (n <= 0) {
                throw new io.vestige.io.TruncatedException(src.describe(), pos, size - pos, 0);
            }
            md5.update(buf.array(), 0, n);
            sha1.update(buf.array(), 0, n);
            sha256.update(buf.array(), 0, n);
            pos += n;
        }
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(md5.digest()), hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()), pos);
    }

    public static Digests of(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(md("MD5").digest(bytes)), hex.formatHex(md("SHA-1").digest(bytes)),
                hex.formatHex(md("SHA-256").digest(bytes)), bytes.length);
    }

    static MessageDigest md(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + alg, e);
        }
    }
}
