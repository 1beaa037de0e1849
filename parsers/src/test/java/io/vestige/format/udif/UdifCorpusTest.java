package io.vestige.format.udif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.Diagnostics;
import io.vestige.io.SequentialReader;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-world DMGs: every codec of the node-udif set decodes to the same bytes, matching dmg2img where it can decode. */
@Tag("corpus")
class UdifCorpusTest {
    @TempDir
    Path tmp;

    static byte[] media(Path p, Diagnostics diags) throws IOException {
        OpenOptions o = OpenOptions.defaults().withDiagnostics(diags).with("udif.verify", "full");
        try (EvidenceCandidate c = EvidenceCandidate.of(p); Container ct = new UdifFormat().open(c, o)) {
            ChunkedByteSource m = (ChunkedByteSource) ct.media();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SequentialReader r = new SequentialReader(m, 2, null)) {
                r.transferTo(out);
            }
            byte[] seq = out.toByteArray();
            assertEquals(m.size(), seq.length);
            // random reads agree with the sequential path
            byte[] rnd = new byte[seq.length];
            m.read(0, ByteBuffer.wrap(rnd));
            assertArrayEquals(seq, rnd);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) ct.info().details().get("checksums");
            for (Map<String, Object> r : cs) {
                if (r.get("ok") != null) {
                    assertEquals(Boolean.TRUE, r.get("ok"), p.getFileName() + " " + r);
                }
            }
            return seq;
        }
    }

    @Test
    void nodeUdifCodecsAllDecodeToTheSameBytes() throws Exception {
        String[] codecs = {"raw", "zlib", "bz2", "adc", "lzfse"};
        byte[] ref = null;
        for (String c : codecs) {
            Diagnostics d = new Diagnostics();
            byte[] m = media(Corpus.file("dmg/nodeudif_compression-" + c + ".dmg"), d);
            assertTrue(d.isEmpty(), c + ": " + d.list());
            if (ref == null) {
                ref = m;
            } else {
                assertArrayEquals(ref, m, c + " differs from raw");
            }
        }
    }

    @Test
    void matchesDmg2img() throws Exception {
        Tools.assume("dmg2img", "dmg2img");
        for (String f : List.of("nodeudif_compression-raw.dmg", "nodeudif_compression-zlib.dmg", "nodeudif_compression-bz2.dmg",
                "nodeudif_compression-adc.dmg", "nodeudif_gpt.dmg", "nodeudif_raw.dmg")) {
            Path in = Corpus.file("dmg/" + f);
            Path out = tmp.resolve(f + ".img");
            Tools.Result r = Tools.run(List.of("dmg2img", "-s", "-i", in.toString(), "-o", out.toString()));
            assertEquals(0, r.exitCode(), f + ": " + r.stderr());
            byte[] expected = Files.readAllBytes(out);
            byte[] mine = media(in, new Diagnostics());
            assertEquals(expected.length, mine.length, f + " size");
            assertArrayEquals(expected, mine, f);
        }
    }

    /**
     * dmg2img 1.6.7 writes the seven partitions of this GPT image one after another and gets the
     * layout wrong (FORMATS.md §11): its output is 31 sectors short and its GPT entries are zeros
     * (mmls shows garbage). Our output instead matches every CRC-32 Apple stored (master and per
     * table, checked in {@link #media}) and The Sleuth Kit reads its GPT: the HFS+ partition at
     * sector 40, 3744 sectors, as the blkx table "disk image (Apple_HFS : 4)" says.
     */
    @Test
    void dfvfsGptImageDisagreesWithDmg2imgButAgreesWithStoredCrcsAndMmls() throws Exception {
        Tools.assume("dmg2img", "dmg2img");
        Tools.assume("mmls", "sleuthkit");
        Path in = Corpus.file("dmg/dfvfs_hfsplus_zlib.dmg");
        Path theirs = tmp.resolve("dmg2img.img");
        Tools.run(List.of("dmg2img", "-s", "-i", in.toString(), "-o", theirs.toString()));
        byte[] mine = media(in, new Diagnostics());
        assertEquals(3817 * 512, mine.length);
        assertEquals(3786 * 512, Files.size(theirs), "dmg2img's (wrong) size changed: re-check this test");
        Path ours = tmp.resolve("ours.img");
        Files.write(ours, mine);
        String mmls = Tools.run(List.of("mmls", ours.toString())).out();
        assertTrue(mmls.matches("(?s).*\\s000\\s+0000000040\\s+0000003783\\s+0000003744\\s+disk image.*"), mmls);
    }

    @Test
    void gptImageStartsWithProtectiveMbrAndGptHeader() throws Exception {
        byte[] m = media(Corpus.file("dmg/dfvfs_hfsplus_zlib.dmg"), new Diagnostics());
        assertEquals(0x55, m[510] & 0xff);
        assertEquals(0xAA, m[511] & 0xff);
        assertEquals(0xEE, m[450] & 0xff, "protective MBR partition type");
        assertEquals("EFI PART", new String(m, 512, 8, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Despite its name, node-udif's gpt.dmg is a whole-disk Apple_HFS image (MANIFEST): HFS+ header at 1024. */
    @Test
    void nodeUdifGptIsWholeDiskHfsPlus() throws Exception {
        byte[] m = media(Corpus.file("dmg/nodeudif_gpt.dmg"), new Diagnostics());
        assertEquals("H+", new String(m, 1024, 2, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(4, m[1027]); // HFS+ version 4
    }

    @Test
    void detailsNamePartitionsAndVariant() throws Exception {
        Path p = Corpus.file("dmg/dfvfs_hfsplus_zlib.dmg");
        try (EvidenceCandidate c = EvidenceCandidate.of(p); Container ct = new UdifFormat().open(c, OpenOptions.defaults())) {
            Map<String, Object> d = ct.info().details();
            assertEquals("UDZO", d.get("variant"));
            assertEquals("udif", ct.info().format());
            assertEquals(Map.of("ignore", 3L, "zero", 2L, "zlib", 8L), d.get("chunkTypes"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parts = (List<Map<String, Object>>) d.get("partitions");
            assertEquals("disk image (Apple_HFS : 4)", parts.get(4).get("name"));
            assertEquals(40L, parts.get(4).get("firstSector"));
        }
    }

    /** Real bvx2 (FSE) and ADC chunks, randomly mutated: the decoders report damage, never crash or hang. */
    @Test
    void mutatedRealChunksOnlyEverThrowParseExceptions() throws Exception {
        for (String f : List.of("nodeudif_compression-lzfse.dmg", "nodeudif_compression-adc.dmg")) {
            Path p = Corpus.file("dmg/" + f);
            try (io.vestige.io.ByteSource file = io.vestige.io.ByteSources.open(p);
                 UdifImage img = UdifImage.open(file, false, f, null, OpenOptions.defaults())) {
                java.util.Random r = new java.util.Random(5);
                int tested = 0;
                for (BlkxTable t : img.tables()) {
                    for (BlkxChunk c : t.chunks()) {
                        if (!BlkxChunk.isCompressed(c.type())) {
                            continue;
                        }
                        byte[] in = file.readBytes(img.koly().dataForkOffset() + t.dataOffset() + c.compressedOffset(),
                                (int) c.compressedLength());
                        byte[] out = new byte[(int) c.sectorCount() * 512];
                        for (int i = 0; i < 300; i++) {
                            byte[] m = in.clone();
                            for (int k = 0; k < 1 + r.nextInt(6); k++) {
                                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                            }
                            int len = i % 10 == 0 ? r.nextInt(m.length + 1) : m.length;
                            try {
                                if (c.type() == BlkxChunk.LZFSE) {
                                    io.vestige.codec.Lzfse.decode(m, 0, len, out, 0, out.length);
                                } else {
                                    io.vestige.codec.Adc.decode(m, 0, len, out, 0, out.length);
                                }
                            } catch (io.vestige.io.ParseException expected) {
                                // reported, not crashed
                            }
                        }
                        tested++;
                    }
                }
                assertTrue(tested > 0, f);
            }
        }
    }

    /**
     * Homebrew's UDZO APFS test image (GPT + Apple_APFS). dmg2img mislays its partitions as it does the
     * dfvfs image; our media matches Apple's stored CRC-32s (checked in {@link #media}), mmls finds the
     * APFS partition where the blkx table "disk image (Apple_APFS : 4)" says, and libfsapfs reads the
     * container from that partition.
     */
    @Test
    void homebrewApfsImageMediaIsReadableByTskAndLibfsapfs() throws Exception {
        Tools.assume("mmls", "sleuthkit");
        Tools.assume("fsapfsinfo", "libfsapfs-utils");
        byte[] m = media(Corpus.file("apfs/homebrew_container-apfs.dmg"), new Diagnostics());
        assertEquals(20546 * 512, m.length);
        Path img = tmp.resolve("hb.img");
        Files.write(img, m);
        String mmls = Tools.run(List.of("mmls", img.toString())).out();
        assertTrue(mmls.matches("(?s).*\\s000\\s+0000000040\\s+0000020511\\s+0000020472\\s+disk image.*"), mmls);
        Path part = tmp.resolve("apfs.img");
        Files.write(part, java.util.Arrays.copyOfRange(m, 40 * 512, (40 + 20472) * 512));
        String info = Tools.run(List.of("fsapfsinfo", part.toString())).out();
        assertTrue(info.contains("Name\t\t\t\t: container-apfs"), info);
    }

    // ---- Apple-made samples from citruz/dmgwiz (MIT, tests/*.dmg @ its default branch), proposed for the
    // corpus as dmg/dmgwiz_*; these tests skip until the files are there. ----

    /** A real AES-256 encrcdsa image (password "test123"): decrypts, and every Apple CRC-32 of the inner UDZO matches. */
    @Test
    void dmgwizAes256EncryptedImage() throws Exception {
        Path p = Corpus.file("dmg/dmgwiz_input_aes256.dmg");
        OpenOptions o = OpenOptions.defaults().withPassword("test123".toCharArray()).with("udif.verify", "full");
        try (EvidenceCandidate c = EvidenceCandidate.of(p); Container ct = new EncryptedDmgFormat().open(c, o)) {
            Map<String, Object> d = ct.info().details();
            @SuppressWarnings("unchecked")
            Map<String, Object> enc = (Map<String, Object>) d.get("encryption");
            assertEquals("AES-256-CBC", enc.get("cipher"));
            assertEquals(13654L, enc.get("dataSize")); // dmgwiz's test: the decrypted DMG is 13654 bytes
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) d.get("checksums");
            assertTrue(cs.size() > 3);
            cs.forEach(r -> assertEquals(Boolean.TRUE, r.get("ok"), r.toString()));
            byte[] m = ct.media().readBytes(512, 8);
            assertEquals("EFI PART", new String(m, java.nio.charset.StandardCharsets.US_ASCII));
        }
        try (EvidenceCandidate c = EvidenceCandidate.of(p)) {
            org.junit.jupiter.api.Assertions.assertThrows(DmgPasswordException.class,
                    () -> new EncryptedDmgFormat().open(c, OpenOptions.defaults().withPassword("test124".toCharArray())));
        }
    }

    /** Real ULMO (LZMA) and ULFO images: the same media as the UDZO and UDRO versions of the same disk. */
    @Test
    void dmgwizLzmaImageMatchesItsZlibAndRawTwins() throws Exception {
        byte[] zlib = media(Corpus.file("dmg/dmgwiz_input_zlib.dmg"), new Diagnostics());
        assertArrayEquals(zlib, media(Corpus.file("dmg/dmgwiz_input_lzma.dmg"), new Diagnostics()));
        assertArrayEquals(zlib, media(Corpus.file("dmg/dmgwiz_input_ro.dmg"), new Diagnostics()));
    }

    /** Tables whose mish data offset is not 0: our media equals dmgwiz's expected extraction. */
    @Test
    void dmgwizNonNullDataOffset() throws Exception {
        byte[] m = media(Corpus.file("dmg/dmgwiz_input_non_null_data_offset.dmg"), new Diagnostics());
        assertArrayEquals(Files.readAllBytes(Corpus.file("dmg/dmgwiz_output_non_null_data_offset.bin")), m);
    }
}
