package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyReportTest {
    @Test
    void manifestDetectsAlterationAndSignatureBindsTheExaminer(@TempDir Path tmp) throws Exception {
        Path ev = AnalyzeFolderTest.tree(tmp.resolve("triage"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Test Examiner"), BigInteger.ONE, new Date(0), new Date(4_000_000_000_000L),
                new X500Name("CN=Test Examiner"), kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("examiner", kp.getPrivate(), "pw".toCharArray(), new java.security.cert.Certificate[] {cert});
        Path p12 = tmp.resolve("examiner.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, "pw".toCharArray());
        }
        Files.writeString(tmp.resolve("pw.txt"), "pw\n");
        Path certFile = tmp.resolve("examiner.der");
        Files.write(certFile, cert.getEncoded());

        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", ev.toString(), "--out", out.toString(), "--sign-key", p12.toString(),
                "--sign-password-file", tmp.resolve("pw.txt").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("manifest.json.p7s")));
        r = CliTestSupport.run("verify-report", out.toString(), "--signer", certFile.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("CN=Test Examiner"), r.out());

        Files.writeString(out.resolve("report.html"), "<p>altered</p>", java.nio.file.StandardOpenOption.APPEND);
        r = CliTestSupport.run("verify-report", out.toString());
        assertEquals(ExitCodes.NEGATIVE, r.exit(), r.out());
        assertTrue(r.out().contains("modified: report.html"), r.out());
    }
}
