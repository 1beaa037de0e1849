package io.vestige.codesign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Evaluates a {@link Requirement} against what was verified offline: the identifier, the cdhashes,
 * the certificate chain (index 0 leaf, -1 anchor) and whether that anchor is a pinned Apple root,
 * the Info.plist and entitlements. Clauses that need live system state (notarization, named
 * anchors, legacy Developer ID policy) evaluate to false, as they would for an unknown signer.
 */
final class RequirementEvaluator {

    record Context(String identifier, List<byte[]> cdhashes, List<X509Certificate> chain, boolean anchorApple,
                   Map<String, Object> infoPlist, Map<String, Object> entitlements) {
    }

    private RequirementEvaluator() {
    }

    static boolean evaluate(Requirement r, Context c) {
        return eval(r.expression(), c, 0);
    }

    private static boolean eval(Requirement.Expr e, Context c, int depth) {
        if (depth > Requirement.MAX_DEPTH) {
            return false;
        }
        if (e instanceof Requirement.And a) {
            return eval(a.left(), c, depth + 1) && eval(a.right(), c, depth + 1);
        }
        if (e instanceof Requirement.Or o) {
            return eval(o.left(), c, depth + 1) || eval(o.right(), c, depth + 1);
        }
        if (e instanceof Requirement.Not n) {
            return !eval(n.inner(), c, depth + 1);
        }
        if (e instanceof Requirement.Const k) {
            return k.value();
        }
        if (e instanceof Requirement.Ident i) {
            return i.identifier().equals(c.identifier());
        }
        if (e instanceof Requirement.AppleAnchor a) {
            // "anchor apple" means Apple's own code (Software Signing); "generic" any Apple-issued chain
            if (!c.anchorApple()) {
                return false;
            }
            return a.generic() || isAppleOwn(c.chain());
        }
        if (e instanceof Requirement.AnchorHash h) {
            X509Certificate cert = cert(c.chain(), h.certIndex());
            if (cert == null) {
                return false;
            }
            try {
                byte[] d = MessageDigest.getInstance("SHA-1").digest(cert.getEncoded());
                return Arrays.equals(d, h.hash());
            } catch (Exception ex) {
                return false;
            }
        }
        if (e instanceof Requirement.CdHash h) {
            for (byte[] x : c.cdhashes()) {
                if (Arrays.equals(x, h.hash())) {
                    return true;
                }
            }
            return false;
        }
        if (e instanceof Requirement.InfoKey k) {
            Object v = c.infoPlist() == null ? null : c.infoPlist().get(k.key());
            return match(k.match(), v == null ? null : String.valueOf(v));
        }
        if (e instanceof Requirement.EntitlementKey k) {
            Object v = c.entitlements() == null ? null : c.entitlements().get(k.key());
            return match(k.match(), v == null ? null : String.valueOf(v));
        }
        if (e instanceof Requirement.CertField f) {
            X509Certificate cert = cert(c.chain(), f.certIndex());
            if (cert == null) {
                return false;
            }
            if (f.op() == Requirement.OP_CERT_GENERIC) {
                return cert.getExtensionValue(f.field()) != null ? f.match().op() != 14 : f.match().op() == 14;
            }
            if (f.op() == Requirement.OP_CERT_FIELD) {
                return match(f.match(), certField(cert, f.field()));
            }
            if (f.op() == Requirement.OP_CERT_POLICY) {
                return match(f.match(), null);
            }
            return false;
        }
        if (e instanceof Requirement.TrustedCert) {
            return c.anchorApple();
        }
        return false;
    }

    /** Apple's own code chains to Apple Root CA through "Apple Code Signing Certification Authority". */
    private static boolean isAppleOwn(List<X509Certificate> chain) {
        if (chain.size() < 2) {
            return false;
        }
        X509Certificate leaf = chain.get(0);
        String o = field(leaf, BCStyle.O);
        return "Apple Inc.".equals(o) && leaf.getExtensionValue("1.2.840.113635.100.6.22") != null;
    }

    private static X509Certificate cert(List<X509Certificate> chain, int idx) {
        if (chain.isEmpty()) {
            return null;
        }
        if (idx < 0) {
            int i = chain.size() + idx;
            return i >= 0 ? chain.get(i) : null;
        }
        return idx < chain.size() ? chain.get(idx) : null;
    }

    private static String certField(X509Certificate cert, String field) {
        // "subject.CN", "subject.OU", "subject.O", "subject.C", "subject.UID", "subject.STREET" …
        if (!field.startsWith("subject.")) {
            return null;
        }
        ASN1ObjectIdentifier oid = switch (field.substring(8)) {
            case "CN" -> BCStyle.CN;
            case "OU" -> BCStyle.OU;
            case "O" -> BCStyle.O;
            case "C" -> BCStyle.C;
            case "L" -> BCStyle.L;
            case "ST" -> BCStyle.ST;
            case "STREET" -> BCStyle.STREET;
            case "UID" -> BCStyle.UID;
            case "E", "EMAIL" -> BCStyle.EmailAddress;
            default -> null;
        };
        return oid == null ? null : field(cert, oid);
    }

    private static String field(X509Certificate cert, ASN1ObjectIdentifier oid) {
        X500Name n = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] r = n.getRDNs(oid);
        return r.length == 0 ? null : IETFUtils.valueToString(r[0].getFirst().getValue());
    }

    private static boolean match(Requirement.Match m, String actual) {
        if (m.op() == 0) {
            return actual != null;
        }
        if (m.op() == 14) {
            return actual == null;
        }
        if (actual == null || m.value() == null) {
            return false;
        }
        String v = new String(m.value(), StandardCharsets.UTF_8);
        return switch (m.op()) {
            case 1 -> actual.equals(v);
            case 2 -> actual.contains(v);
            case 3 -> actual.startsWith(v);
            case 4 -> actual.endsWith(v);
            case 5 -> actual.compareTo(v) < 0;
            case 6 -> actual.compareTo(v) > 0;
            case 7 -> actual.compareTo(v) <= 0;
            case 8 -> actual.compareTo(v) >= 0;
            default -> false;
        };
    }
}
