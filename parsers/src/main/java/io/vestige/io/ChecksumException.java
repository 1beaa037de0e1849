package io.vestige.io;

/** A stored checksum (Adler-32, CRC-32, Fletcher-64 …) disagrees with the bytes. */
public class ChecksumException extends ParseException {
    private static final long serialVersionUID = 1L;

    public ChecksumException(String structure, long offset, String algorithm, long expected, long found) {
        super(structure, offset, expectedFound(algorithm + " mismatch", "0x" + Long.toHexString(expected),
                "0x" + Long.toHexString(found)));
    }

    public ChecksumException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}
