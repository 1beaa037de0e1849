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
import io.vestige.fixtures.udif.SparseBundleWriter;
import io.vestige.fixtures.udif.SparseImageWriter;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSources;
import io.vestige.io.MalformedException;
import io.vestige.io.UnsupportedFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .sparseimage and .sparsebundle against the independent fixture writers, plus damaged variants. */
class SparseFormatsTest {
    @TempDir
    Path tmp;

    static byte[] readAll(Container c) throws Exception {
        byte[] b = new byte[(int) c.media().size()];
        int pos = 0;
        while (pos < b.length) {
            int n = Math.min(5000, b.length - pos);
            c.media().readFully(pos, b, pos, n);
            pos += n;
        }
        return b;
    }

    static Container openImage(byte[] img) throws Exception {
        EvidenceCandidate c = EvidenceCandidate.of("x.sparseimage", ByteSources.wrap(img, "x.sparseimage"));
        assertTrue(new SparseImageFormat().probe(c));
        return new SparseImageFormat().open(c, OpenOptions.defaults());
    }

    @Test
    void sparseImageRoundTripWithBandsOutOfOrderAndMissing() throws Exception {
        byte[] m = media(8 * 256, 21); // 8 bands of 256 sectors
        // store bands 5, 0, 3 only (in that order); the others must read as zeros
        byte[] img = new SparseImageWriter().sectorsPerBand(256).bandOrder(List.of(5, 0, 3)).write(m);
        byte[] expected = new byte[m.length];
        for (int b : List.of(5, 0, 3)) {
            System.arraycopy(m, b * 256 * 512, expected, b * 256 * 512, 256 * 512);
        }
        try (Container c = openImage(img)) {
            assertEquals("sparseimage", c.info().format());
            assertEquals(m.length, c.info().mediaSize());
            assertArrayEquals(expected, readAll(c));
        }
        byte[] full = new SparseImageWriter().sectorsPerBand(256).write(m);
        try (Container c = openImage(full)) {
            assertArrayEquals(m, readAll(c));
        }
    }

    @Test
    void sparseImageDamage() throws Exception {
        byte[] m = media(4 * 256, 22);
        byte[] img = new SparseImageWriter().sectorsPerBand(256).write(m);
        byte[] bad = img.clone();
        bad[0] = 'X';
        assertThrows(BadMagicException.class, () -> SparseImageHeader.parse(bad));
        // a truncated file: bands past the end read as zeros rather than failing
        byte[] cut = Arrays.copyOf(img, img.length - 1000);
        try (Container c = openImage(cut)) {
            byte[] got = readAll(c);
            assertArrayEquals(Arrays.copyOf(m, m.length - 1000), Arrays.copyOf(got, m.length - 1000));
            assertArrayEquals(new byte[1000], Arrays.copyOfRange(got, m.length - 1000, m.length));
        }
        // a band stored twice
        byte[] twice = img.clone();
        ByteBuffer.wrap(twice).putInt(68, 1);
        assertThrows(MalformedException.class, () -> openImage(twice));
        // zero sectors per band
        byte[] zero = img.clone();
        ByteBuffer.wrap(zero).putInt(8, 0);
        assertThrows(MalformedException.class, () -> openImage(zero));
        // a huge stated size is just zeros, never allocated
        byte[] huge = img.clone();
        ByteBuffer.wrap(huge).putInt(16, -1);
        try (Container c = openImage(huge)) {
            assertEquals(0xffffffffL * 512, c.media().size());
            assertArrayEquals(new byte[512], c.media().readBytes(c.media().size() - 512, 512));
        }
    }

    @Test
    void sparseBundleRoundTripMissingAndShortBands() throws Exception {
        byte[] m = media(6000, 23);
        Arrays.fill(m, 1 << 20, 2 << 20, (byte) 0); // band 1 (1 MiB bands) all zero: not written
        Path bundle = tmp.resolve("disk.sparsebundle");
        new SparseBundleWriter().bandSize(1 << 20).trimLastBand(true).write(m, bundle);
        assertFalse(Files.exists(bundle.resolve("bands/1")));
        try (EvidenceCandidate c = EvidenceCandidate.of(bundle)) {
            assertTrue(new SparseBundleFormat().probe(c));
        }
        // the standard registry claims the folder as a sparse bundle, not as a plain folder
        EvidenceOpener opener = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults());
        assertEquals("sparsebundle", opener.detect(bundle).name());
        try (Container c = opener.openContainer(bundle)) {
            assertEquals(m.length, c.info().mediaSize());
            assertArrayEquals(m, readAll(c));
        }
        // a plain folder is still a plain folder
        Files.createDirectories(tmp.resolve("plain"));
        assertEquals("dir", opener.detect(tmp.resolve("plain")).name());
    }

    @Test
    void sparseBundleDamage() throws Exception {
        byte[] m = media(1000, 24);
        Path bundle = tmp.resolve("e.sparsebundle");
        new SparseBundleWriter().bandSize(1 << 16).write(m, bundle);
        Files.write(bundle.resolve("token"), new byte[] {'e', 'n', 'c', 'r'});
        try (EvidenceCandidate c = EvidenceCandidate.of(bundle)) {
            assertThrows(UnsupportedFormatException.class, () -> new SparseBundleFormat().open(c, OpenOptions.defaults()));
        }
        Files.write(bundle.resolve("token"), new byte[0]);
        String plist = Files.readString(bundle.resolve("Info.plist")).replace("<integer>65536</integer>", "<integer>0</integer>");
        Files.writeString(bundle.resolve("Info.plist"), plist);
        try (EvidenceCandidate c = EvidenceCandidate.of(bundle)) {
            assertThrows(MalformedException.class, () -> new SparseBundleFormat().open(c, OpenOptions.defaults()));
        }
        Files.writeString(bundle.resolve("Info.plist"), "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
                + "<plist><dict><key>diskimage-bundle-type</key><string>com.apple.diskimage.sparsebundle&a;</string></dict></plist>");
        try (EvidenceCandidate c = EvidenceCandidate.of(bundle)) {
            assertThrows(MalformedException.class, () -> new SparseBundleFormat().open(c, OpenOptions.defaults()));
        }
    }

    @Test
    void mutatedSparseImageHeadersNeverEscapeAsRuntimeExceptions() throws Exception {
        byte[] img = new SparseImageWriter().sectorsPerBand(8).write(media(64, 25));
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 500; i++) {
            byte[] x = img.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                x[4 + r.nextInt(120)] = (byte) r.nextInt(256);
            }
            try (Container c = openImage(x)) {
                c.media().readAtMost(Math.max(0, c.media().size() - 8192), 8192);
            } catch (java.io.IOException expected) {
                // described error
            }
        }
    }

    /** A bundle found inside evidence (here a folder read through the folder file system). */
    @Test
    void sparseBundleInsideEvidence() throws Exception {
        byte[] m = media(3000, 26);
        Path home = tmp.resolve("home");
        new SparseBundleWriter().bandSize(1 << 18).write(m, home.resolve("Users/x/Secret.sparsebundle"));
        io.vestige.format.dir.DirectoryFileSystem fs = io.vestige.format.dir.DirectoryFileSystem.of(home);
        io.vestige.evidence.FileEntry e = fs.lookup("/Users/x/Secret.sparsebundle");
        try (Container c = SparseBundleFormat.open(e, OpenOptions.defaults())) {
            assertEquals("sparsebundle", c.info().format());
            assertArrayEquals(m, readAll(c));
        }
        assertThrows(MalformedException.class, () -> SparseBundleFormat.open(fs.lookup("/Users/x"), OpenOptions.defaults()));
    }

    /** Encrypted bundle as sparsebundlefs reads one: token = encrcdsa header, bands encrypted one by one. */
    @Test
    void encryptedSparseBundle() throws Exception {
        byte[] m = media(4000, 27);
        Arrays.fill(m, 1 << 19, 1 << 20, (byte) 0); // band 1 (512 KiB bands) left out
        Path bundle = tmp.resolve("enc.sparsebundle");
        new SparseBundleWriter().bandSize(1 << 19).trimLastBand(true)
                .encrypted(new io.vestige.fixtures.udif.EncryptedDmgWriter().keyBits(256).blockSize(512).iterations(500), "bundle pw")
                .write(m, bundle);
        assertTrue(Files.size(bundle.resolve("token")) > 0);
        try (EvidenceCandidate c = EvidenceCandidate.of(bundle)) {
            DmgPasswordException none = assertThrows(DmgPasswordException.class,
                    () -> new SparseBundleFormat().open(c, OpenOptions.defaults()));
            assertTrue(none.passwordRequired());
            DmgPasswordException wrong = assertThrows(DmgPasswordException.class,
                    () -> new SparseBundleFormat().open(c, OpenOptions.defaults().withPassword("nope".toCharArray())));
            assertFalse(wrong.passwordRequired());
            try (Container ct = new SparseBundleFormat().open(c, OpenOptions.defaults().withPassword("bundle pw".toCharArray()))) {
                assertArrayEquals(m, readAll(ct));
                assertTrue(ct.info().details().containsKey("encryption"));
            }
        }
    }
}
