package io.vestige.format.udif;

import static io.vestige.format.udif.UdifTestSupport.media;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.fixtures.udif.EncryptedDmgWriter;
import io.vestige.fixtures.udif.UdifWriter;
import io.vestige.io.ByteSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * encrcdsa v2 and cdsaencr v1 images from the fixture writer (javax.crypto). The only Apple-made
 * sample (dmgwiz's AES-256 image) is tested in {@code UdifCorpusTest} when present; no v1 sample exists
 * here (no hdiutil). Debian's
 * vfdecrypt 1.6.7 is no witness either: it reads the password header at a fixed offset (0x2a8)
 * and takes the HMAC key from the start of the key blob, unlike the layout dmg2john and dmgwiz read.
 */
class EncryptedDmgTest {
    @TempDir
    Path tmp;

    static Container open(byte[] img, OpenOptions o) throws Exception {
        EvidenceCandidate c = EvidenceCandidate.of("enc.dmg", ByteSources.wrap(img, "enc.dmg"));
        assertTrue(new EncryptedDmgFormat().probe(c));
        assertFalse(new UdifFormat().probe(c));
        return new EncryptedDmgFormat().open(c, o);
    }

    @Test
    void decryptsUdifPayloadAes128And256() throws Exception {
        byte[] m = media(3000, 31);
        byte[] dmg = new UdifWriter().codec(UdifWriter.Codec.ZLIB).write(m);
        for (int bits : new int[] {128, 256}) {
            byte[] enc = new EncryptedDmgWriter().keyBits(bits).iterations(1000).write(dmg, "s3cret pässword");
            try (Container c = open(enc, OpenOptions.defaults().withPassword("s3cret pässword".toCharArray()))) {
                assertEquals("udif", c.info().format());
                assertArrayEquals(m, SparseFormatsTest.readAll(c));
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) c.info().details().get("encryption");
                assertEquals("AES-" + bits + "-CBC", e.get("cipher"));
            }
        }
    }

    @Test
    void rawPayloadAndPasswordFile() throws Exception {
        byte[] m = media(50, 32);
        byte[] enc = new EncryptedDmgWriter().blockSize(512).write(m, "pw");
        Path pf = tmp.resolve("pw.txt");
        Files.writeString(pf, "pw\n", StandardCharsets.UTF_8);
        try (Container c = open(enc, OpenOptions.defaults().with("passwordFile", pf.toString()))) {
            assertEquals("encrypted-dmg", c.info().format());
            assertArrayEquals(m, SparseFormatsTest.readAll(c));
        }
    }

    @Test
    void noPasswordAndWrongPassword() throws Exception {
        byte[] enc = new EncryptedDmgWriter().write(new UdifWriter().write(media(100, 33)), "right");
        DmgPasswordException none = assertThrows(DmgPasswordException.class, () -> open(enc, OpenOptions.defaults()));
        assertTrue(none.passwordRequired());
        assertTrue(none.getMessage().contains("encrypted DMG (encrcdsa v2, AES-128); supply --password or --password-file"),
                none.getMessage());
        DmgPasswordException wrong = assertThrows(DmgPasswordException.class,
                () -> open(enc, OpenOptions.defaults().withPassword("wrong".toCharArray())));
        assertFalse(wrong.passwordRequired());
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
    }

    @Test
    void registryPicksEncryptedBeforeRawAndV1IsReported() throws Exception {
        byte[] enc = new EncryptedDmgWriter().write(new UdifWriter().write(media(100, 34)), "pw");
        Path p = tmp.resolve("e.dmg");
        Files.write(p, enc);
        assertEquals("encrypted-dmg", new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).detect(p).name());
        byte[] v1 = new EncryptedDmgWriter().writeV1(new byte[4096], "pw");
        EvidenceCandidate c = EvidenceCandidate.of("v1.dmg", ByteSources.wrap(v1, "v1.dmg"));
        assertTrue(new EncryptedDmgFormat().probe(c));
        DmgPasswordException e = assertThrows(DmgPasswordException.class,
                () -> new EncryptedDmgFormat().open(c, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("encrypted DMG (cdsaencr v1, AES-128); supply --password"), e.getMessage());
    }

    @Test
    void version1RoundTripAndWrongPassword() throws Exception {
        byte[] m = media(2000, 37);
        byte[] dmg = new UdifWriter().codec(UdifWriter.Codec.BZIP2).write(m);
        byte[] v1 = new EncryptedDmgWriter().iterations(1000).writeV1(dmg, "old secret");
        try (Container c = open(v1, OpenOptions.defaults().withPassword("old secret".toCharArray()))) {
            assertEquals("udif", c.info().format()); // koly found inside the padded last block
            assertArrayEquals(m, SparseFormatsTest.readAll(c));
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) c.info().details().get("encryption");
            assertEquals("cdsaencr v1", e.get("scheme"));
        }
        DmgPasswordException wrong = assertThrows(DmgPasswordException.class,
                () -> open(v1, OpenOptions.defaults().withPassword("new secret".toCharArray())));
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
    }

    @Test
    void hostileHeaders() throws Exception {
        byte[] enc = new EncryptedDmgWriter().write(media(20, 35), "pw");
        OpenOptions o = OpenOptions.defaults().withPassword("pw".toCharArray());
        byte[] count = enc.clone();
        java.nio.ByteBuffer.wrap(count).putInt(72, 100000);
        assertThrows(io.vestige.io.MalformedException.class, () -> open(count, o));
        byte[] iters = enc.clone();
        java.nio.ByteBuffer.wrap(iters).putInt(96 + 8, Integer.MAX_VALUE);
        assertThrows(io.vestige.io.LimitExceededException.class, () -> open(iters, o));
        byte[] size = enc.clone();
        java.nio.ByteBuffer.wrap(size).putLong(56, 1L << 40);
        assertThrows(io.vestige.io.TruncatedException.class, () -> open(size, o));
        byte[] blob = enc.clone();
        java.nio.ByteBuffer.wrap(blob).putInt(96 + 100, 100000);
        assertThrows(io.vestige.io.MalformedException.class, () -> open(blob, o));
    }

    @Test
    void mutatedHeadersNeverEscapeAsRuntimeExceptions() throws Exception {
        byte[] enc = new EncryptedDmgWriter().iterations(10).write(new UdifWriter().write(media(40, 36)), "pw");
        java.util.Random r = new java.util.Random(8);
        for (int i = 0; i < 300; i++) {
            byte[] x = enc.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                x[8 + r.nextInt(300)] = (byte) r.nextInt(256);
            }
            try (Container c = open(x, OpenOptions.defaults().withPassword("pw".toCharArray()))) {
                c.media().readAtMost(0, 4096);
            } catch (java.io.IOException expected) {
                // described error
            }
        }
    }
}
