package io.vestige.codesign;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;

/**
 * Decodes DER entitlements (blob 0xfade7172, slot 7): {@code [APPLICATION 16] {INTEGER version,
 * [CONTEXT 16] dict}} where a dict holds SEQUENCE {UTF8String key, value} pairs and values are
 * BOOLEAN, INTEGER, UTF8String, SEQUENCE (array) or a nested [CONTEXT 16] dict. This is the form
 * the kernel enforces, so it is compared with the XML entitlements examiners usually read.
 */
final class DerEntitlements {
    private static final int MAX_DEPTH = 32;

    private DerEntitlements() {
    }

    static Map<String, Object> decode(byte[] der) throws ParseException {
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            ASN1Primitive p = in.readObject();
            if (!(p instanceof ASN1TaggedObject t) || t.getTagClass() != BERTags.APPLICATION || t.getTagNo() != 16) {
                throw new MalformedException("DER entitlements", 0, "expected [APPLICATION 16]");
            }
            ASN1Sequence body = ASN1Sequence.getInstance(t.getBaseUniversal(false, BERTags.SEQUENCE));
            if (body.size() != 2) {
                throw new MalformedException("DER entitlements", 0, "expected {version, dict}");
            }
            Object d = value(body.getObjectAt(1), 0);
            if (!(d instanceof Map<?, ?> m)) {
                throw new MalformedException("DER entitlements", 0, "top level is not a dict");
            }
            return SignatureChecker.castMap(m);
        } catch (ParseException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedException("DER entitlements", 0, "not decodable: " + e.getMessage(), e);
        }
    }

    private static Object value(ASN1Encodable e, int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("DER entitlements", 0, "nested deeper than " + MAX_DEPTH);
        }
        ASN1Primitive p = e.toASN1Primitive();
        if (p instanceof ASN1Boolean b) {
            return b.isTrue();
        }
        if (p instanceof ASN1Integer i) {
            BigInteger v = i.getValue();
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        }
        if (p instanceof ASN1String s) {
            return s.getString();
        }
        if (p instanceof ASN1TaggedObject t && t.getTagClass() == BERTags.CONTEXT_SPECIFIC && t.getTagNo() == 16) {
            Map<String, Object> m = new TreeMap<>();
            ASN1Encodable base = t.getBaseUniversal(false, BERTags.SET);
            for (ASN1Encodable kv : (Iterable<ASN1Encodable>) org.bouncycastle.asn1.ASN1Set.getInstance(base)) {
                ASN1Sequence pair = ASN1Sequence.getInstance(kv);
                if (pair.size() != 2 || !(pair.getObjectAt(0).toASN1Primitive() instanceof ASN1String k)) {
                    throw new MalformedException("DER entitlements", 0, "dict entry is not {key, value}");
                }
                m.put(k.getString(), value(pair.getObjectAt(1), depth + 1));
            }
            return m;
        }
        if (p instanceof ASN1Sequence s) {
            List<Object> l = new ArrayList<>();
            for (ASN1Encodable x : s) {
                l.add(value(x, depth + 1));
            }
            return l;
        }
        throw new MalformedException("DER entitlements", 0, "unsupported value " + p.getClass().getSimpleName());
    }

    /** Compares decoded DER entitlements with the XML ones (numbers by value, dicts by key). */
    static boolean sameAs(Map<String, Object> der, Map<String, Object> xml) {
        return normalize(der).equals(normalize(xml));
    }

    private static Object normalize(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> r = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                r.put(String.valueOf(e.getKey()), normalize(e.getValue()));
            }
            return r;
        }
        if (o instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) {
                r.add(normalize(x));
            }
            return r;
        }
        if (o instanceof Number n) {
            return new java.math.BigDecimal(n.toString()).stripTrailingZeros();
        }
        return o;
    }

}
