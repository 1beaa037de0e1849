package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.MediaHasher;
import io.vestige.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every EWF1 variant libewf's ewfacquire can write (SMART, FTK, EnCase 2-7, linen 5-7, ewfx, plain
 * EWF), single and multi-segment: media hashes against the source, metadata against ewfinfo.
 */
class EwfVariantsTest {
    @TempDir
    Path dir;

    static byte[] source() {
        byte[] b = new byte[3 * 1024 * 1024 + 12800];
        Random r = new Random(77);
        byte[] rnd = new byte[1 << 20];
        r.nextBytes(rnd);
        System.arraycopy(rnd, 0, b, 0, rnd.length);
        byte[] t = "hello vestige\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 2 << 20; i < 3 << 20; i++) {
            b[i] = t[i % t.length];
        }
        r.nextBytes(rnd);
        System.arraycopy(rnd, 0, b, 3 << 20, 12800);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ewf", "smart", "ftk", "encase2", "encase3", "encase4", "encase5", "encase6", "encase7",
        "linen5", "linen6", "linen7", "ewfx", "encase6:multi", "smart:multi", "encase5:multi:best", "encase6:none",
        "encase6:empty-block", "encase6:4096"})
    void readsWhatLibewfWrites(String variant) throws Exception {
        Tools.assume("ewfacquire", "ewf-tools");
        String[] v = variant.split(":");
        String format = v[0];
        boolean multi = List.of(v).contains("multi");
        String level = List.of(v).contains("best") ? "best" : List.of(v).contains("none") ? "none"
                : List.of(v).contains("empty-block") ? "empty-block" : "fast";
        byte[] src = source();
        if (List.of(v).contains("4096")) {
            src = java.util.Arrays.copyOf(src, src.length / 4096 * 4096);
        }
        Path raw = dir.resolve("src.raw");
        Files.write(raw, src);
        Path target = dir.resolve("img");
        List<String> cmd = new java.util.ArrayList<>(List.of("ewfacquire", "-u", "-q", "-t", target.toString(),
                "-f", format, "-c", level, "-d", "sha1", "-C", "case " + variant, "-E", "ev-1", "-e", "exam",
                "-D", "desc", "-N", "some notes", "-m", "removable", "-M", "logical"));
        if (multi) {
            cmd.addAll(List.of("-S", Integer.toString(1 << 20)));
        }
        if (List.of(v).contains("4096")) {
            cmd.addAll(List.of("-P", "4096", "-b", "16"));
        }
        cmd.add(raw.toString());
        Tools.Result acq = Tools.run(cmd);
        assertEquals(0, acq.exitCode(), acq.out() + acq.stderr());
        Path first;
        try (Stream<Path> s = Files.list(dir)) {
            first = s.filter(p -> p.getFileName().toString().matches("img\\.[EeSs]01")).findFirst().orElseThrow();
        }
        Map<String, String> ref = EwfCorpusTest.ewfinfo(first);
        try (EvidenceCandidate c = EvidenceCandidate.of(first); Container ct = new EwfFormat().open(c, OpenOptions.defaults())) {
            ContainerInfo info = ct.info();
            assertEquals(src.length, info.mediaSize());
            if (multi) {
                assertTrue(info.segments().size() > 1, info.segments().toString());
            }
            MediaHasher.Result h = MediaHasher.hash(ct.media(), List.of("md5", "sha1"), 2, null);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(src)), h.digests().get("md5"));
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(src)), h.digests().get("sha1"));
            assertTrue(h.damaged().isEmpty(), h.damaged().toString());
            Map<String, String> md = info.metadata();
            check(ref, "Case number", md.get("caseNumber"));
            check(ref, "Evidence number", md.get("evidenceNumber"));
            check(ref, "Examiner name", md.get("examiner"));
            check(ref, "Description", md.get("description"));
            check(ref, "Notes", md.get("notes"));
            check(ref, "Operating system used", md.get("os"));
            check(ref, "Software version used", md.get("softwareVersion"));
            if (ref.containsKey("Acquisition date")) {
                // ewfx keeps the zone in its XML header text; ewfinfo prints it
                assertEquals(ref.get("Acquisition date").replace(" UTC", ""), EwfCorpusTest.ctime(md.get("acquisitionDate")));
            }
            check(ref, "Media type", md.get("mediaType"));
            check(ref, "Bytes per sector", String.valueOf(info.sectorSize()));
            check(ref, "Number of sectors", String.valueOf(info.details().get("sectorCount")));
            check(ref, "Sectors per chunk", String.valueOf(info.details().get("sectorsPerChunk")));
            check(ref, "MD5", info.storedHashes().get("md5"));
            check(ref, "SHA1", info.storedHashes().get("sha1"));
            check(ref, "Is physical", (Boolean) info.details().get("isPhysical") ? "yes" : "no");
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(src)), info.storedHashes().get("md5"));
            // writer family per the libyal variant table (the header keys and sections each writer uses)
            String family = switch (format) {
                case "ewf" -> "EnCase 1";
                case "smart" -> "SMART";
                case "ftk", "encase2", "encase3" -> "EnCase 2/3";
                case "encase4" -> "EnCase 4";
                case "encase5" -> "EnCase 5";
                case "linen5" -> "linen 5";
                case "linen6" -> "linen 6";
                case "ewfx" -> "EWFX";
                default -> "EnCase 6"; // encase6, encase7 and linen7 write the EnCase 6 sections
            };
            assertEquals(family, info.details().get("fileFormat"));
        }
    }

    private static void check(Map<String, String> ref, String key, String mine) {
        if (ref.containsKey(key)) {
            assertEquals(ref.get(key), mine, key);
        }
    }
}
