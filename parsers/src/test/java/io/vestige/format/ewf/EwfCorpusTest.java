package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.DamagedRange;
import io.vestige.io.MediaHasher;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real EWF samples checked against libewf's ewfinfo and ewfverify. */
@Tag("corpus")
class EwfCorpusTest {

    static Map<String, String> ewfinfo(Path p) throws Exception {
        Tools.Result r = Tools.run(List.of("ewfinfo", p.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (!line.startsWith("\t")) {
                continue;
            }
            String l = line.substring(1);
            int c = l.indexOf(':');
            if (c > 0) {
                m.putIfAbsent(l.substring(0, c).trim(), l.substring(c + 1).trim());
            }
        }
        return m;
    }

    static Map<String, String> ewfverify(Path p) throws Exception {
        Tools.Result r = Tools.run(List.of("ewfverify", "-q", "-d", "sha1", p.toString()));
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("MD5 hash calculated over data:")) {
                m.put("md5", line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("SHA1 hash calculated over data:")) {
                m.put("sha1", line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return m;
    }

    static String ctime(String iso) {
        return DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
                .format(Instant.parse(iso).atOffset(ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dfvfs_ext2.E01", "dfvfs_ext2.split.E01", "dissect_ewf.E01", "e01rs_image.E01",
        "e01rs_bad_chunk.E01", "plaso_image.E01", "tsk_imageformat_mmls_1.E01"})
    void matchesLibewf(String name) throws Exception {
        Tools.assume("ewfinfo", "ewf-tools");
        Path p = Corpus.file("ewf/" + name);
        Map<String, String> ref = ewfinfo(p);
        Map<String, String> refHash = ewfverify(p);
        OpenOptions opts = OpenOptions.defaults();
        try (EvidenceCandidate c = EvidenceCandidate.of(p)) {
            EwfFormat f = new EwfFormat();
            assertTrue(f.probe(c));
            try (Container ct = f.open(c, opts)) {
                ContainerInfo info = ct.info();
                assertEquals("ewf", info.format());
                Map<String, String> md = info.metadata();
                check(ref, "Case number", md.get("caseNumber"));
                check(ref, "Description", md.get("description"));
                check(ref, "Examiner name", md.get("examiner"));
                check(ref, "Evidence number", md.get("evidenceNumber"));
                check(ref, "Notes", md.get("notes"));
                check(ref, "Operating system used", md.get("os"));
                check(ref, "Software version used", md.get("softwareVersion"));
                check(ref, "Model", md.get("model"));
                check(ref, "Serial number", md.get("serial"));
                if (ref.containsKey("Acquisition date")) {
                    assertEquals(ref.get("Acquisition date"), ctime(md.get("acquisitionDate")));
                }
                if (ref.containsKey("System date")) {
                    assertEquals(ref.get("System date"), ctime(md.get("systemDate")));
                }
                check(ref, "File format", (String) info.details().get("fileFormat"));
                check(ref, "Sectors per chunk", String.valueOf(info.details().get("sectorsPerChunk")));
                check(ref, "Error granularity", String.valueOf(info.details().get("errorGranularity")));
                check(ref, "Media type", md.get("mediaType"));
                check(ref, "Is physical", (Boolean) info.details().get("isPhysical") ? "yes" : "no");
                check(ref, "Bytes per sector", String.valueOf(info.sectorSize()));
                check(ref, "Number of sectors", String.valueOf(info.details().get("sectorCount")));
                check(ref, "Set identifier", (String) info.details().get("setGuid"));
                String size = ref.get("Media size");
                assertEquals(size.substring(size.indexOf('(') + 1, size.indexOf(" bytes")), String.valueOf(info.mediaSize()));
                check(ref, "MD5", info.storedHashes().get("md5"));
                check(ref, "SHA1", info.storedHashes().get("sha1"));
                String level = ref.get("Compression level");
                if (level != null) {
                    assertEquals(level, md.get("compression").replace("none", "no") + " compression", "compression");
                }
                if (name.contains("split")) {
                    assertEquals(List.of("dfvfs_ext2.split.E01", "dfvfs_ext2.split.E02"), info.segments());
                }
                MediaHasher.Result h = MediaHasher.hash(ct.media(), List.of("md5", "sha1"), 2, null);
                assertEquals(refHash.get("md5"), h.digests().get("md5"), "media MD5 vs ewfverify");
                assertEquals(refHash.get("sha1"), h.digests().get("sha1"), "media SHA-1 vs ewfverify");
                if (name.equals("e01rs_bad_chunk.E01")) {
                    // ewfverify: "at sector(s): 0 - 63" -> chunk 0
                    assertEquals(1, h.damaged().size(), h.damaged().toString());
                    DamagedRange d = h.damaged().get(0);
                    assertEquals(0, d.chunk());
                    assertEquals(0, d.mediaOffset());
                    assertEquals(64 * 512, d.length());
                    assertFalse(ct.diagnostics().isEmpty());
                } else {
                    assertTrue(h.damaged().isEmpty(), h.damaged().toString());
                }
            }
        }
    }

    private static void check(Map<String, String> ref, String key, String mine) {
        if (ref.containsKey(key)) {
            assertEquals(ref.get(key), mine, key);
        }
    }

    @Test
    void secondSegmentNamedFindsTheSet() throws Exception {
        Path p = Corpus.file("ewf/dfvfs_ext2.split.E02");
        try (EwfImage img = EwfImage.open(p, io.vestige.io.ParseLimits.defaults(), new io.vestige.io.Diagnostics())) {
            assertEquals(2, img.segmentNames().size());
            assertEquals(4194304, img.size());
        }
    }
}
