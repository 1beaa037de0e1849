package io.vestige.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Detached CMS signature of {@code manifest.json} with the examiner's key from a PKCS#12 file, and
 * its verification. The signature ({@code manifest.json.p7s}, DER) embeds the signer's certificate;
 * verification checks the signature and reports the signer, and, when the examiner's certificate is
 * given, that it is the one that signed.
 */
public final class ManifestSigner {
    public static final String FILE = "manifest.json.p7s";

    private ManifestSigner() {
    }

    /** Signs {@code manifestBytes} and writes {@code dir/manifest.json.p7s}; returns the signer subject. */
    public static String sign(Path dir, byte[] manifestBytes, Path pkcs12, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                ks.load(in, password);
            }
            String alias = null;
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements();) {
                String a = e.nextElement();
                if (ks.isKeyEntry(a)) {
                    alias = a;
                    break;
                }
            }
            if (alias == null) {
                throw new IOException(pkcs12 + " holds no private key");
            }
            PrivateKey key = (PrivateKey) ks.getKey(alias, password);
            X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : ks.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(alg).build(key), cert));
            gen.addCertificates(new JcaCertStore(chain));
            CMSSignedData signed = gen.generate(new CMSProcessableByteArray(manifestBytes), false);
            byte[] der = signed.getEncoded("DER");
            ReportOutput.atomic(dir.resolve(FILE), out -> out.write(der));
            return cert.getSubjectX500Principal().getName();
        } catch (GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IOException("cannot sign the manifest with " + pkcs12 + ": " + e.getMessage(), e);
        }
    }

    /** The outcome of checking the detached signature. */
    public record Check(boolean present, boolean valid, String signerSubject, String signerSha256, String problem) {
    }

    public static Check verify(Path dir, X509Certificate expectedSigner) throws IOException {
        Path sig = dir.resolve(FILE);
        if (!Files.isRegularFile(sig)) {
            return new Check(false, false, null, null, null);
        }
        byte[] manifest = Files.readAllBytes(dir.resolve(Manifest.FILE));
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(manifest), Files.readAllBytes(sig));
            Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return new Check(true, false, null, null, "expected one signer, found " + signers.size());
            }
            SignerInformation si = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> certs = cms.getCertificates().getMatches(si.getSID());
            if (certs.isEmpty()) {
                return new Check(true, false, null, null, "the signer's certificate is not embedded");
            }
            X509CertificateHolder holder = certs.iterator().next();
            String subject = holder.getSubject().toString();
            String fp = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(holder.getEncoded()));
            boolean ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(holder));
            if (!ok) {
                return new Check(true, false, subject, fp, "the signature does not match manifest.json");
            }
            if (expectedSigner != null && !java.util.Arrays.equals(expectedSigner.getEncoded(), holder.getEncoded())) {
                return new Check(true, false, subject, fp, "signed by " + subject + ", not by the given certificate");
            }
            return new Check(true, true, subject, fp, null);
        } catch (CMSException | OperatorCreationException | GeneralSecurityException e) {
            return new Check(true, false, null, null, "unreadable signature: " + e.getMessage());
        }
    }
}
