package io.vestige.codesign;

import io.vestige.codesign.CodeSignResult.AnchorResult;
import io.vestige.codesign.CodeSignResult.CmsResult;
import io.vestige.codesign.CodeSignResult.TimestampResult;
import io.vestige.format.plist.PropertyList;
import io.vestige.io.ParseException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies the detached CMS signature of a code signature (slot 0x10000) against its
 * CodeDirectories, builds and checks the certificate chain, and verifies an RFC 3161 timestamp.
 * Spec: FORMATS.md 5.4 and 5.5.
 */
final class CmsVerifier {
    static final String OID_CDHASHES_PLIST = "1.2.840.113635.100.9.1";
    static final String OID_CDHASHES_V2 = "1.2.840.113635.100.9.2";
    static final String OID_TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14";

    /** What the CMS check found, with the chain for requirement evaluation. */
    record Outcome(CmsResult result, List<Problem> problems, List<X509Certificate> chain, boolean anchorApple) {
    }

    private CmsVerifier() {
    }

    /**
     * @param cms   the DER ContentInfo (wrapper payload), non-empty
     * @param cds   CodeDirectories in slot order (slot 0 first)
     * @param where slice label for problems
     */
    static Outcome verify(byte[] cms, List<CodeDirectory> cds, List<X509Certificate> userAnchors, String where) {
        List<Problem> problems = new ArrayList<>();
        CMSSignedData sd;
        try {
            sd = new CMSSignedData(cms);
        } catch (Exception e) {
            problems.add(new Problem(ProblemType.CMS_MALFORMED, "the CMS signature does not parse: " + e.getMessage(), where));
            return new Outcome(null, problems, List.of(), false);
        }
        try {
            return verify(sd, cms, cds, userAnchors, where, problems);
        } catch (RuntimeException e) {
            // Bouncy Castle throws unchecked exceptions on some malformed structures
            problems.add(new Problem(ProblemType.CMS_MALFORMED, "the CMS signature is malformed: " + e, where));
            return new Outcome(null, problems, List.of(), false);
        }
    }

    private static Outcome verify(CMSSignedData sd, byte[] cms, List<CodeDirectory> cds, List<X509Certificate> userAnchors,
                                  String where, List<Problem> problems) {
        List<X509Certificate> certs = new ArrayList<>();
        Collection<X509CertificateHolder> holders = sd.getCertificates().getMatches(null);
        for (X509CertificateHolder h : holders) {
            X509Certificate c = toX509(h);
            if (c != null) {
                certs.add(c);
            }
        }
        List<SignerInformation> signers = new ArrayList<>(sd.getSignerInfos().getSigners());
        if (signers.isEmpty()) {
            problems.add(new Problem(ProblemType.CMS_MALFORMED, "the CMS SignedData has no SignerInfo", where));
            return new Outcome(null, problems, List.of(), false);
        }
        SignerInformation si = signers.get(0);
        X509Certificate signer = null;
        for (X509CertificateHolder h : holders) {
            if (si.getSID().match(h)) {
                signer = toX509(h);
                break;
            }
        }
        String digestOid = si.getDigestAlgOID();
        String digestName = digestName(digestOid);
        // messageDigest over the primary (slot 0) CodeDirectory
        AttributeTable attrs = si.getSignedAttributes();
        boolean mdValid = false;
        Instant signingTime = null;
        String cdhashesAttr = "absent";
        String agilityAttr = "absent";
        if (attrs == null) {
            // early (2012-era) Apple signatures sign the CodeDirectory directly, without signed attributes
            mdValid = true;
        } else {
            Attribute md = attrs.get(CMSAttributes.messageDigest);
            if (md == null || digestName == null) {
                problems.add(new Problem(ProblemType.CMS_MESSAGE_DIGEST_MISMATCH, digestName == null
                        ? "unsupported digest algorithm " + digestOid : "no messageDigest attribute", where));
            } else {
                byte[] claimed = ASN1OctetString.getInstance(md.getAttrValues().getObjectAt(0)).getOctets();
                byte[] actual = digest(digestName, cds.get(0).bytes());
                mdValid = MessageDigest.isEqual(claimed, actual);
                if (!mdValid) {
                    problems.add(new Problem(ProblemType.CMS_MESSAGE_DIGEST_MISMATCH, "messageDigest "
                            + hex(claimed) + " is not the " + digestName + " of the CodeDirectory (" + hex(actual) + ")", where));
                }
            }
            Attribute st = attrs.get(CMSAttributes.signingTime);
            if (st != null) {
                signingTime = Time.getInstance(st.getAttrValues().getObjectAt(0)).getDate().toInstant();
            }
            Attribute plist = attrs.get(new ASN1ObjectIdentifier(OID_CDHASHES_PLIST));
            if (plist != null) {
                cdhashesAttr = checkCdhashPlist(plist, cds, where, problems);
            }
            Attribute v2 = attrs.get(new ASN1ObjectIdentifier(OID_CDHASHES_V2));
            if (v2 != null) {
                agilityAttr = checkHashAgility(v2, cds, where, problems);
            }
        }
        // the signature over the original signed-attribute bytes
        boolean sigValid = false;
        if (signer == null) {
            problems.add(new Problem(ProblemType.CMS_SIGNER_CERTIFICATE_MISSING,
                    "the signer's certificate is not among the " + certs.size() + " certificates in the CMS", where));
        } else {
            try {
                byte[] raw;
                if (attrs == null) {
                    raw = cds.get(0).bytes();
                } else {
                    raw = Der.firstSignedAttributes(cms);
                    if (raw == null) {
                        throw new ParseException("CMS SignerInfo", -1, "no signed attributes found");
                    }
                    raw[0] = 0x31; // signed as SET OF, stored as [0] IMPLICIT
                }
                String alg = signatureAlgorithm(digestName, si.getEncryptionAlgOID());
                if (alg == null) {
                    problems.add(new Problem(ProblemType.UNSUPPORTED, "unsupported signature algorithm "
                            + si.getEncryptionAlgOID(), where));
                } else {
                    Signature s = Signature.getInstance(alg);
                    s.initVerify(signer.getPublicKey());
                    s.update(raw);
                    sigValid = s.verify(si.getSignature());
                    if (!sigValid) {
                        problems.add(new Problem(ProblemType.CMS_SIGNATURE_INVALID, "the " + alg + " signature over the "
                                + (attrs == null ? "CodeDirectory" : "signed attributes")
                                + " does not verify with the signer's key", where));
                    }
                }
            } catch (ParseException | GeneralSecurityException e) {
                problems.add(new Problem(ProblemType.CMS_SIGNATURE_INVALID, "the signature cannot be verified: "
                        + e.getMessage(), where));
            }
        }
        // timestamp
        TimestampResult ts = null;
        AttributeTable unsigned = si.getUnsignedAttributes();
        if (unsigned != null && unsigned.get(new ASN1ObjectIdentifier(OID_TIMESTAMP_TOKEN)) != null) {
            ts = timestamp(unsigned.get(new ASN1ObjectIdentifier(OID_TIMESTAMP_TOKEN)), si.getSignature(), userAnchors,
                    where, problems);
        }
        // chain
        List<X509Certificate> chain = new ArrayList<>();
        AnchorResult anchor = null;
        Instant checkedAt = ts != null && ts.valid() ? ts.time() : signingTime;
        String timeSource = ts != null && ts.valid() ? "timestamp" : signingTime != null ? "signingTime (claimed by the signer)" : null;
        if (signer != null) {
            anchor = buildChain(signer, certs, userAnchors, chain, where, problems, "code signing");
            checkUsage(signer, chain, where, problems);
            if (checkedAt != null) {
                for (X509Certificate c : chain) {
                    try {
                        c.checkValidity(java.util.Date.from(checkedAt));
                    } catch (GeneralSecurityException e) {
                        problems.add(new Problem(ProblemType.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME, "certificate "
                                + subject(c) + " is not valid at " + checkedAt + " (" + c.getNotBefore().toInstant()
                                + " .. " + c.getNotAfter().toInstant() + ")", where));
                    }
                }
            }
        }
        List<String> roles = new ArrayList<>();
        for (X509Certificate c : chain) {
            for (Map.Entry<String, String> e : AppleAnchors.ROLES.entrySet()) {
                if (c.getExtensionValue(e.getKey()) != null) {
                    roles.add((c == signer ? "leaf" : "issuer") + ": " + e.getValue() + " (" + e.getKey() + ")");
                }
            }
        }
        String subj = signer == null ? null : subject(signer);
        CmsResult r = new CmsResult(subj, signer == null ? null : rdn(signer, BCStyle.CN),
                signer == null ? null : rdn(signer, BCStyle.O), signer == null ? null : teamIdOf(rdn(signer, BCStyle.OU)), roles,
                chain.stream().map(CmsVerifier::subject).toList(), anchor, signingTime, ts, digestName, sigValid, mdValid,
                cdhashesAttr, agilityAttr, checkedAt, timeSource);
        return new Outcome(r, problems, chain, anchor != null && anchor.kind().equals("apple"));
    }

    private static String checkCdhashPlist(Attribute a, List<CodeDirectory> cds, String where, List<Problem> problems) {
        try {
            byte[] xml = ASN1OctetString.getInstance(a.getAttrValues().getObjectAt(0)).getOctets();
            Object o = PropertyList.parse(xml);
            if (!(o instanceof Map<?, ?> m) || !(m.get("cdhashes") instanceof List<?> list)) {
                problems.add(new Problem(ProblemType.CMS_CDHASHES_MISMATCH, "the cdhashes attribute has no cdhashes array", where));
                return "malformed";
            }
            boolean ok = list.size() == cds.size();
            for (int i = 0; ok && i < list.size(); i++) {
                ok = list.get(i) instanceof byte[] b && Arrays.equals(b, cds.get(i).cdhash());
            }
            if (!ok) {
                problems.add(new Problem(ProblemType.CMS_CDHASHES_MISMATCH, "the signed cdhash list (" + list.size()
                        + " entries) does not match the " + cds.size() + " CodeDirectories' cdhashes", where));
                return "mismatch";
            }
            return "match";
        } catch (ParseException | RuntimeException e) {
            problems.add(new Problem(ProblemType.CMS_CDHASHES_MISMATCH, "the cdhashes attribute is malformed: " + e.getMessage(), where));
            return "malformed";
        }
    }

    private static String checkHashAgility(Attribute a, List<CodeDirectory> cds, String where, List<Problem> problems) {
        try {
            List<ASN1Sequence> seqs = new ArrayList<>();
            for (ASN1Encodable v : a.getAttrValues()) {
                // each value is a SEQUENCE {digest OID, OCTET STRING}; some writers nest them in a SET
                if (v instanceof ASN1Set set) {
                    for (ASN1Encodable e : set) {
                        seqs.add(ASN1Sequence.getInstance(e));
                    }
                } else {
                    seqs.add(ASN1Sequence.getInstance(v));
                }
            }
            boolean ok = true;
            boolean[] covered = new boolean[cds.size()];
            for (ASN1Sequence s : seqs) {
                String oid = ASN1ObjectIdentifier.getInstance(s.getObjectAt(0)).getId();
                byte[] value = ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets();
                String dn = digestName(oid);
                boolean found = false;
                for (int i = 0; i < cds.size(); i++) {
                    HashType t = cds.get(i).hashType();
                    if (t != null && dn != null && t.jcaName().equals(dn)) {
                        byte[] full = cds.get(i).fullDigest();
                        if (value.length > 0 && value.length <= full.length
                                && MessageDigest.isEqual(value, Arrays.copyOf(full, value.length))) {
                            found = true;
                            covered[i] = true;
                        }
                    }
                }
                if (!found) {
                    ok = false;
                    problems.add(new Problem(ProblemType.CMS_HASH_AGILITY_MISMATCH, "hash agility v2 entry " + oid
                            + " = " + hex(value) + " matches no CodeDirectory (a hash for a CodeDirectory that is not there)", where));
                }
            }
            for (int i = 0; i < covered.length; i++) {
                if (!covered[i]) {
                    ok = false;
                    problems.add(new Problem(ProblemType.CMS_HASH_AGILITY_MISMATCH, "CodeDirectory #" + i + " ("
                            + cds.get(i).hashType() + ") has no entry in the signed hash agility v2 attribute", where));
                }
            }
            return ok ? "match" : "mismatch";
        } catch (RuntimeException e) {
            problems.add(new Problem(ProblemType.CMS_HASH_AGILITY_MISMATCH, "the hash agility v2 attribute is malformed: " + e, where));
            return "malformed";
        }
    }

    private static TimestampResult timestamp(Attribute a, byte[] signatureValue, List<X509Certificate> userAnchors,
                                             String where, List<Problem> problems) {
        try {
            byte[] enc = a.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded();
            TimeStampToken tok = new TimeStampToken(new CMSSignedData(enc));
            Instant time = tok.getTimeStampInfo().getGenTime().toInstant();
            X509Certificate tsa = null;
            List<X509Certificate> all = new ArrayList<>();
            for (X509CertificateHolder h : tok.getCertificates().getMatches(null)) {
                X509Certificate c = toX509(h);
                if (c != null) {
                    all.add(c);
                }
                if (tok.getSID().match(h)) {
                    tsa = c;
                }
            }
            if (tsa == null) {
                problems.add(new Problem(ProblemType.TIMESTAMP_INVALID, "the timestamp token does not carry its TSA certificate", where));
                return new TimestampResult(time, null, false, null, "TSA certificate missing");
            }
            String imprintAlg = digestName(tok.getTimeStampInfo().getMessageImprintAlgOID().getId());
            byte[] imprint = tok.getTimeStampInfo().getMessageImprintDigest();
            boolean imprintOk = imprintAlg != null && MessageDigest.isEqual(imprint, digest(imprintAlg, signatureValue));
            boolean sigOk;
            String detail = null;
            try {
                tok.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
                sigOk = true;
            } catch (Exception e) {
                sigOk = false;
                detail = e.getMessage();
            }
            List<Problem> chainProblems = new ArrayList<>();
            List<X509Certificate> chain = new ArrayList<>();
            AnchorResult anchor = buildChain(tsa, all, userAnchors, chain, where + " timestamp", chainProblems, "timestamp");
            // a timestamp chain that merely does not reach a trusted root is reported in its anchor, not as a problem
            for (Problem p : chainProblems) {
                if (p.type().invalidates()) {
                    problems.add(p);
                }
            }
            if (!imprintOk) {
                problems.add(new Problem(ProblemType.TIMESTAMP_INVALID,
                        "the timestamp's message imprint is not the digest of this signature value", where));
            }
            if (!sigOk) {
                problems.add(new Problem(ProblemType.TIMESTAMP_INVALID, "the timestamp token's signature does not verify: "
                        + detail, where));
            }
            return new TimestampResult(time, subject(tsa), imprintOk && sigOk, anchor, detail);
        } catch (Exception e) {
            problems.add(new Problem(ProblemType.TIMESTAMP_INVALID, "the timestamp token is malformed: " + e.getMessage(), where));
            return new TimestampResult(null, null, false, null, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Follows issuer links from {@code leaf} through {@code pool} (then the user anchors), checking
     * each signature, until a self-signed certificate or no issuer is found. Returns where it ends.
     */
    static AnchorResult buildChain(X509Certificate leaf, List<X509Certificate> pool, List<X509Certificate> userAnchors,
                                   List<X509Certificate> chain, String where, List<Problem> problems, String purpose) {
        chain.add(leaf);
        X509Certificate cur = leaf;
        List<X509Certificate> candidates = new ArrayList<>(pool);
        candidates.addAll(userAnchors);
        for (int guard = 0; guard <= candidates.size(); guard++) {
            if (selfSigned(cur)) {
                break;
            }
            X509Certificate issuer = null;
            boolean sawNameMatch = false;
            for (X509Certificate c : candidates) {
                if (c.getSubjectX500Principal().equals(cur.getIssuerX500Principal()) && !chain.contains(c)) {
                    sawNameMatch = true;
                    if (verifies(cur, c.getPublicKey())) {
                        issuer = c;
                        break;
                    }
                }
            }
            if (issuer == null) {
                if (sawNameMatch) {
                    problems.add(new Problem(ProblemType.CERTIFICATE_SIGNATURE_INVALID, "the signature of " + subject(cur)
                            + " does not verify with the key of any certificate named " + principal(cur.getIssuerX500Principal()),
                            where));
                }
                break;
            }
            chain.add(issuer);
            cur = issuer;
        }
        X509Certificate top = chain.get(chain.size() - 1);
        String fp = sha256(top);
        String subj = subject(top);
        if (selfSigned(top)) {
            if (!verifies(top, top.getPublicKey())) {
                problems.add(new Problem(ProblemType.CERTIFICATE_SIGNATURE_INVALID, "the self-signature of root " + subj
                        + " does not verify", where));
            }
            String apple = AppleAnchors.ROOTS.get(fp);
            if (apple != null) {
                return new AnchorResult("apple", apple, subj, fp);
            }
            for (X509Certificate u : userAnchors) {
                if (sha256(u).equals(fp)) {
                    return new AnchorResult("user-supplied", "user-supplied trust anchor", subj, fp);
                }
            }
            problems.add(new Problem(ProblemType.UNTRUSTED_ANCHOR, "the " + purpose + " chain ends at the self-signed "
                    + subj + " (SHA-256 " + fp + "), which is neither a pinned Apple root nor a supplied trust anchor", where));
            return new AnchorResult("untrusted", null, subj, fp);
        }
        for (X509Certificate u : userAnchors) {
            if (sha256(u).equals(fp)) {
                return new AnchorResult("user-supplied", "user-supplied trust anchor", subj, fp);
            }
        }
        problems.add(new Problem(ProblemType.INCOMPLETE_CHAIN, "the " + purpose + " chain stops at " + subj
                + ": its issuer " + principal(top.getIssuerX500Principal()) + " is not among the certificates present", where));
        return new AnchorResult("incomplete", null, subj, fp);
    }

    /**
     * Every issuer must be a CA allowed to sign certificates (else a leaf's owner could mint
     * "sub-leaves" under Apple's root); the leaf's extended key usage, when present, must allow
     * code signing (1.3.6.1.5.5.7.3.3) or any purpose.
     */
    static void checkUsage(X509Certificate leaf, List<X509Certificate> chain, String where, List<Problem> problems) {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean[] ku = c.getKeyUsage();
            if (c.getBasicConstraints() < 0 || (ku != null && ku.length > 5 && !ku[5])) {
                problems.add(new Problem(ProblemType.CERTIFICATE_NOT_A_CA, subject(c) + " issued " + subject(chain.get(i - 1))
                        + " but is not a certificate authority (basicConstraints/keyUsage)", where));
            }
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.3") && !eku.contains("2.5.29.37.0")) {
                problems.add(new Problem(ProblemType.CERTIFICATE_NOT_FOR_CODE_SIGNING, "the signing certificate's extended "
                        + "key usage " + eku + " does not include code signing", where));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            problems.add(new Problem(ProblemType.CERTIFICATE_NOT_FOR_CODE_SIGNING, "the signing certificate's extended key "
                    + "usage is unreadable: " + e.getMessage(), where));
        }
    }

    static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c.getPublicKey());
    }

    private static boolean verifies(X509Certificate c, PublicKey key) {
        try {
            c.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static X509Certificate toX509(X509CertificateHolder h) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(h.getEncoded()));
        } catch (Exception e) {
            return null;
        }
    }

    static String sha256(X509Certificate c) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subject in openssl's one-line order ({@code CN=…, OU=…, O=…, C=…} as stored, RFC 2253 reversed). */
    static String subject(X509Certificate c) {
        return principal(c.getSubjectX500Principal());
    }

    static String principal(X500Principal p) {
        return X500Name.getInstance(p.getEncoded()).toString();
    }

    /** The first value of one attribute of the subject, or {@code null}. */
    static String rdn(X509Certificate c, ASN1ObjectIdentifier type) {
        X500Name n = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        RDN[] rdns = n.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    static String digestName(String oid) {
        return switch (oid) {
            case "1.3.14.3.2.26" -> "SHA-1";
            case "2.16.840.1.101.3.4.2.1" -> "SHA-256";
            case "2.16.840.1.101.3.4.2.2" -> "SHA-384";
            case "2.16.840.1.101.3.4.2.3" -> "SHA-512";
            default -> null;
        };
    }

    private static String signatureAlgorithm(String digest, String encOid) {
        if (digest == null) {
            return null;
        }
        String d = digest.replace("-", "");
        return switch (encOid) {
            case "1.2.840.113549.1.1.1" -> d + "withRSA";
            case "1.2.840.113549.1.1.5" -> "SHA1withRSA";
            case "1.2.840.113549.1.1.11" -> "SHA256withRSA";
            case "1.2.840.113549.1.1.12" -> "SHA384withRSA";
            case "1.2.840.113549.1.1.13" -> "SHA512withRSA";
            case "1.2.840.10045.2.1" -> d + "withECDSA";
            case "1.2.840.10045.4.3.2" -> "SHA256withECDSA";
            case "1.2.840.10045.4.3.3" -> "SHA384withECDSA";
            case "1.2.840.10045.4.3.4" -> "SHA512withECDSA";
            default -> null;
        };
    }

    static byte[] digest(String name, byte[] data) {
        try {
            return MessageDigest.getInstance(name).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Apple team IDs are ten upper-case letters and digits; Apple's own certificates carry other OUs ("Apple Software"). */
    static String teamIdOf(String ou) {
        return ou != null && ou.matches("[A-Z0-9]{10}") ? ou : null;
    }
}
