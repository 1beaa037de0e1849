package io.vestige.codesign;

import io.vestige.io.MalformedException;

/**
 * Just enough BER/DER walking to find the original bytes of a SignerInfo's signed attributes, which
 * must be verified as stored: Apple's attribute SET is not always DER-sorted and re-encoding it
 * (as openssl and Bouncy Castle do) breaks valid signatures (FORMATS.md 5.4, 11). Apple's outer
 * CMS layers use BER indefinite lengths, so those are followed too (bounded depth).
 */
final class Der {
    private static final int MAX_DEPTH = 32;

    private Der() {
    }

    /** One TLV: tag byte, start of the TLV, start of the content, end of the TLV (after any end-of-contents). */
    record Tlv(int tag, int start, int contentStart, int contentEnd, int end) {
    }

    static Tlv read(byte[] b, int off, int limit) throws MalformedException {
        return read(b, off, limit, 0);
    }

    private static Tlv read(byte[] b, int off, int limit, int depth) throws MalformedException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("CMS BER", off, "nested deeper than " + MAX_DEPTH);
        }
        if (off + 2 > limit) {
            throw new MalformedException("CMS BER", off, "TLV header beyond the end");
        }
        int tag = b[off] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new MalformedException("CMS BER", off, "multi-byte tags are not used in CMS");
        }
        int l = b[off + 1] & 0xff;
        int p = off + 2;
        if (l == 0x80) {
            if ((tag & 0x20) == 0) {
                throw new MalformedException("CMS BER", off, "indefinite length on a primitive");
            }
            int q = p;
            while (true) {
                if (q + 2 > limit) {
                    throw new MalformedException("CMS BER", off, "missing end-of-contents");
                }
                if (b[q] == 0 && b[q + 1] == 0) {
                    return new Tlv(tag, off, p, q, q + 2);
                }
                q = read(b, q, limit, depth + 1).end();
            }
        }
        long len;
        if (l < 0x80) {
            len = l;
        } else {
            int n = l & 0x7f;
            if (n > 4 || p + n > limit) {
                throw new MalformedException("CMS BER", off, "length of " + n + " bytes");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[p + i] & 0xff);
            }
            p += n;
        }
        if (len > limit - p) {
            throw new MalformedException("CMS BER", off, "length " + len + " beyond the enclosing " + (limit - p) + " bytes");
        }
        return new Tlv(tag, off, p, p + (int) len, p + (int) len);
    }

    /**
     * Returns the exact {@code [0] IMPLICIT SignedAttributes} TLV bytes of the first SignerInfo of a
     * ContentInfo/SignedData, or {@code null} when it has none.
     */
    static byte[] firstSignedAttributes(byte[] ci) throws MalformedException {
        Tlv contentInfo = read(ci, 0, ci.length);
        Tlv oid = read(ci, contentInfo.contentStart(), contentInfo.contentEnd());
        Tlv explicit0 = read(ci, oid.end(), contentInfo.contentEnd());
        Tlv signedData = read(ci, explicit0.contentStart(), explicit0.contentEnd());
        int lim = signedData.contentEnd();
        Tlv version = read(ci, signedData.contentStart(), lim);
        Tlv digestAlgs = read(ci, version.end(), lim);
        Tlv encap = read(ci, digestAlgs.end(), lim);
        Tlv next = read(ci, encap.end(), lim);
        while (next.tag() == 0xa0 || next.tag() == 0xa1) {
            next = read(ci, next.end(), lim);
        }
        if (next.tag() != 0x31) {
            throw new MalformedException("CMS SignedData", next.start(), "expected signerInfos SET, found tag 0x"
                    + Integer.toHexString(next.tag()));
        }
        Tlv signerInfo = read(ci, next.contentStart(), next.contentEnd());
        int sl = signerInfo.contentEnd();
        Tlv siVersion = read(ci, signerInfo.contentStart(), sl);
        Tlv sid = read(ci, siVersion.end(), sl);
        Tlv digestAlg = read(ci, sid.end(), sl);
        Tlv attrs = read(ci, digestAlg.end(), sl);
        if (attrs.tag() != 0xa0) {
            return null;
        }
        if (attrs.contentEnd() != attrs.end()) {
            // an indefinite-length attribute set cannot be signed as DER; rebuild the definite header
            throw new MalformedException("CMS SignerInfo", attrs.start(), "signed attributes with indefinite length");
        }
        return java.util.Arrays.copyOfRange(ci, attrs.start(), attrs.end());
    }
}
