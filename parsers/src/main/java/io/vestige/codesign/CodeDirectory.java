package io.vestige.codesign;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.util.Arrays;

/**
 * {@code CS_CodeDirectory} (magic 0xfade0c02), big-endian. Fields after {@code spare2} exist only
 * from the version named in the table; they are read only when {@code version} and {@code length}
 * allow, otherwise they hold 0. {@link #bytes()} are the blob exactly as stored (hashed for the
 * cdhash and signed by the CMS). Spec: cs_blobs.h; FORMATS.md 5.3.
 *
 * <table><caption>Layout</caption>
 * <tr><th>off</th><th>field</th><th>from</th></tr>
 * <tr><td>0</td><td>magic, 4 length, 8 version, 12 flags, 16 hashOffset, 20 identOffset</td><td>all</td></tr>
 * <tr><td>24</td><td>nSpecialSlots, 28 nCodeSlots, 32 codeLimit</td><td>all</td></tr>
 * <tr><td>36</td><td>u8 hashSize, 37 hashType, 38 platform, 39 pageSize (log2), 40 spare2</td><td>all</td></tr>
 * <tr><td>44</td><td>scatterOffset</td><td>0x20100</td></tr>
 * <tr><td>48</td><td>teamOffset</td><td>0x20200</td></tr>
 * <tr><td>52</td><td>spare3, 56 u64 codeLimit64</td><td>0x20300</td></tr>
 * <tr><td>64</td><td>u64 execSegBase, 72 execSegLimit, 80 execSegFlags</td><td>0x20400</td></tr>
 * <tr><td>88</td><td>runtime, 92 preEncryptOffset</td><td>0x20500</td></tr>
 * <tr><td>96</td><td>u8 linkageHashType, 97 linkageApplicationType, 98 u16 linkageApplicationSubType, 100 linkageOffset, 104 linkageSize</td><td>0x20600</td></tr>
 * </table>
 */
public record CodeDirectory(long version, long flags, long hashOffset, long identOffset, long nSpecialSlots,
                            long nCodeSlots, long codeLimit32, int hashSize, int hashTypeCode, int platform,
                            int pageSizeLog2, long scatterOffset, long teamOffset, long codeLimit64,
                            long execSegBase, long execSegLimit, long execSegFlags, long runtime,
                            long preEncryptOffset, int linkageHashType, int linkageApplicationType,
                            int linkageApplicationSubType, long linkageOffset, long linkageSize,
                            String identifier, String teamId, byte[] bytes) {

    public static final long EARLIEST_VERSION = 0x20001;
    public static final long SUPPORTS_SCATTER = 0x20100;
    public static final long SUPPORTS_TEAMID = 0x20200;
    public static final long SUPPORTS_CODELIMIT64 = 0x20300;
    public static final long SUPPORTS_EXECSEG = 0x20400;
    public static final long SUPPORTS_RUNTIME = 0x20500;
    public static final long SUPPORTS_LINKAGE = 0x20600;
    /** Versions from 0x30000 on would change the layout incompatibly (cs_blobs.h CS_SUPPORTSCOMPAT). */
    public static final long COMPATIBILITY_LIMIT = 0x2f000;

    public static final long CS_EXECSEG_MAIN_BINARY = 0x1;
    public static final long CS_EXECSEG_ALLOW_UNSIGNED = 0x10;
    public static final long CS_EXECSEG_DEBUGGER = 0x20;
    public static final long CS_EXECSEG_JIT = 0x40;
    public static final long CS_EXECSEG_SKIP_LV = 0x80;
    public static final long CS_EXECSEG_CAN_LOAD_CDHASH = 0x100;
    public static final long CS_EXECSEG_CAN_EXEC_CDHASH = 0x200;

    /** Parses a CodeDirectory blob; {@code base} is its absolute offset for messages. */
    public static CodeDirectory parse(byte[] blob, long base) throws ParseException {
        String s = "CodeDirectory";
        StructReader r = StructReader.be(blob, base, s);
        if (blob.length < 44) {
            throw new TruncatedException(s, base, 44, blob.length);
        }
        long magic = r.u32(0);
        if (magic != CodeSigning.CSMAGIC_CODEDIRECTORY) {
            throw new BadMagicException(s, base, "0xfade0c02", String.format("0x%08x", magic));
        }
        long length = r.u32(4);
        if (length != blob.length) {
            throw new MalformedException(s, base + 4, "length " + length + " differs from the blob's " + blob.length);
        }
        long version = r.u32(8);
        if (version < EARLIEST_VERSION || version >= COMPATIBILITY_LIMIT) {
            throw new MalformedException(s, base + 8, String.format("unsupported version 0x%x (0x20001..0x2efff)", version));
        }
        long flags = r.u32(12);
        long hashOffset = r.u32(16);
        long identOffset = r.u32(20);
        long nSpecial = r.u32(24);
        long nCode = r.u32(28);
        long codeLimit = r.u32(32);
        int hashSize = r.u8(36);
        int hashType = r.u8(37);
        int platform = r.u8(38);
        int pageSize = r.u8(39);
        long scatter = field32(r, version, SUPPORTS_SCATTER, 44);
        long team = field32(r, version, SUPPORTS_TEAMID, 48);
        long codeLimit64 = field64(r, version, SUPPORTS_CODELIMIT64, 56);
        long execBase = field64(r, version, SUPPORTS_EXECSEG, 64);
        long execLimit = field64(r, version, SUPPORTS_EXECSEG, 72);
        long execFlags = field64(r, version, SUPPORTS_EXECSEG, 80);
        long runtime = field32(r, version, SUPPORTS_RUNTIME, 88);
        long preEncrypt = field32(r, version, SUPPORTS_RUNTIME, 92);
        int linkageHashType = version >= SUPPORTS_LINKAGE && length >= 108 ? r.u8(96) : 0;
        int appType = version >= SUPPORTS_LINKAGE && length >= 108 ? r.u8(97) : 0;
        int appSubType = version >= SUPPORTS_LINKAGE && length >= 108 ? r.u16(98) : 0;
        long linkageOffset = field32(r, version, SUPPORTS_LINKAGE, 100);
        long linkageSize = field32(r, version, SUPPORTS_LINKAGE, 104);
        if (hashSize == 0) {
            throw new MalformedException(s, base + 36, "hashSize is 0");
        }
        if (pageSize != 0 && (pageSize < 9 || pageSize > 30)) {
            throw new MalformedException(s, base + 39, "page size 2^" + pageSize + " outside 2^9..2^30");
        }
        // every hash, special and code, must lie inside the blob: this bounds nSpecialSlots and
        // nCodeSlots by the blob length before anything is looped over
        long specialBytes = nSpecial * hashSize;
        if (hashOffset > length || specialBytes > hashOffset || hashOffset - specialBytes < 44) {
            throw new MalformedException(s, base + 16, "hashOffset " + hashOffset + " with " + nSpecial
                    + " special slots of " + hashSize + " bytes does not fit in the blob of " + length + " bytes");
        }
        if (nCode > (length - hashOffset) / hashSize) {
            throw new MalformedException(s, base + 28, "nCodeSlots " + nCode + " × " + hashSize
                    + " bytes exceed the blob (" + (length - hashOffset) + " bytes after hashOffset)");
        }
        String ident = cstring(r, identOffset, s + " identifier");
        String teamId = team != 0 ? cstring(r, team, s + " team identifier") : null;
        return new CodeDirectory(version, flags, hashOffset, identOffset, nSpecial, nCode, codeLimit, hashSize, hashType,
                platform, pageSize, scatter, team, codeLimit64, execBase, execLimit, execFlags, runtime, preEncrypt,
                linkageHashType, appType, appSubType, linkageOffset, linkageSize, ident, teamId, blob);
    }

    private static long field32(StructReader r, long version, long since, int off) throws ParseException {
        return version >= since && r.length() >= off + 4 ? r.u32(off) : 0;
    }

    private static long field64(StructReader r, long version, long since, int off) throws ParseException {
        return version >= since && r.length() >= off + 8 ? r.u64(off) : 0;
    }

    private static String cstring(StructReader r, long off, String what) throws ParseException {
        if (off < 44 || off >= r.length()) {
            throw new MalformedException(what, r.at(0), "offset " + off + " outside the CodeDirectory of " + r.length()
                    + " bytes");
        }
        int end = (int) off;
        byte[] b = r.array();
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == b.length) {
            throw new MalformedException(what, r.at((int) off), "string not NUL-terminated inside the CodeDirectory");
        }
        return new String(b, (int) off, end - (int) off, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The hash type, or {@code null} if the code is unknown. */
    public HashType hashType() {
        return HashType.of(hashTypeCode);
    }

    /** codeLimit64 when the version has it and it is set, else the 32-bit codeLimit. */
    public long codeLimit() {
        return version >= SUPPORTS_CODELIMIT64 && codeLimit64 != 0 ? codeLimit64 : codeLimit32;
    }

    /** Page size in bytes, or 0 for "one hash over the whole code". */
    public long pageSize() {
        return pageSizeLog2 == 0 ? 0 : 1L << pageSizeLog2;
    }

    public boolean isAdhoc() {
        return (flags & CodeSigning.CS_ADHOC) != 0;
    }

    /** Code slot {@code n}'s stored hash. */
    public byte[] codeHash(long n) {
        int o = (int) (hashOffset + n * hashSize);
        return Arrays.copyOfRange(bytes, o, o + hashSize);
    }

    /** Special slot {@code -k}'s stored hash ({@code k} in 1..nSpecialSlots). */
    public byte[] specialHash(int k) {
        int o = (int) (hashOffset - (long) k * hashSize);
        return Arrays.copyOfRange(bytes, o, o + hashSize);
    }

    /** True when the special slot exists and its digest is not all zero (an unused slot). */
    public boolean hasSpecial(int k) {
        if (k < 1 || k > nSpecialSlots) {
            return false;
        }
        for (byte b : specialHash(k)) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /** The cdhash: the CodeDirectory's own hash type over its exact bytes, truncated to 20 bytes. */
    public byte[] cdhash() {
        return Arrays.copyOf(fullDigest(), 20);
    }

    /** The full-length digest of the blob with the CodeDirectory's hash type (hash agility v2). */
    public byte[] fullDigest() {
        HashType t = hashType();
        if (t == null) {
            return new byte[0];
        }
        java.security.MessageDigest md = t.newDigest();
        return md.digest(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodeDirectory c && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return String.format("CodeDirectory v=0x%x flags=0x%x hashes=%d+%d location=%s", version, flags, nCodeSlots,
                nSpecialSlots, identifier);
    }
}
