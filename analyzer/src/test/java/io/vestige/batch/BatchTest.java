package io.vestige.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vestige.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTest {
    static final byte[] MACHO = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 0x0c, 0, 0, 0x01, 0, 0, 0, 0, 2, 0, 0, 0};

    static void triage(Path root, String suffix) throws Exception {
        Path mac = root.resolve("private/tmp/vpn." + suffix + "/vpndownloader.app/Contents/MacOS");
        Files.createDirectories(mac);
        Files.write(mac.resolve("vpndownloader"), MACHO);
    }

    static Path input(Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        for (String s : List.of("AAA111", "BBB222", "CCC333")) {
            triage(in.resolve("case-" + s), s);
        }
        Files.write(in.resolve("garbage.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        Files.write(in.resolve("broken.E01"), "EVF\t\r\n\u00ff\u0000 truncated".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return in;
    }

    static JsonNode withoutTimings(Path summary) throws Exception {
        JsonNode n = new ObjectMapper().readTree(summary.toFile());
        ((ObjectNode) n).remove("generatedAt");
        for (JsonNode r : n.get("items")) {
            ((ObjectNode) r).remove("durationMs");
        }
        return n;
    }

    @Test
    void batchRecordsGoodAndBadItemsAndResumes(@TempDir Path tmp) throws Exception {
        Path in = input(tmp);
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run("batch", in.toString(), "--out", out.toString(), "--jobs", "2"));
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode r : s.get("items")) {
            rows.put(r.get("id").asText(), r);
        }
        assertEquals(5, rows.size(), s.toString());
        for (String id : List.of("case-AAA111", "case-BBB222", "case-CCC333")) {
            assertEquals("ok", rows.get(id).get("status").asText(), rows.get(id).toString());
            assertEquals(1, rows.get(id).get("findings").asInt());
            assertTrue(Files.isRegularFile(out.resolve("items").resolve(id).resolve("report.html")));
        }
        for (String id : List.of("garbage.bin", "broken.E01")) {
            JsonNode r = rows.get(id);
            assertNotNull(r, id);
            assertTrue(!r.get("status").asText().equals("ok"), r.toString());
            assertTrue(r.get("reason").asText().length() > 10, r.toString());
        }
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
        assertTrue(Files.readAllLines(out.resolve("timeline.jsonl")).size() > 0);

        // a re-run skips complete items: their records are not rewritten
        Path rec = out.resolve("items/case-AAA111/item.json");
        FileTime before = Files.getLastModifiedTime(rec);
        Thread.sleep(20);
        assertEquals(0, Main.run("batch", in.toString(), "--out", out.toString()));
        assertEquals(before, Files.getLastModifiedTime(rec));
        // a damaged output makes the item run again
        Files.writeString(out.resolve("items/case-BBB222/report.json"), "{}");
        assertEquals(0, Main.run("batch", in.toString(), "--out", out.toString()));
        assertTrue(Files.readString(out.resolve("items/case-BBB222/report.json")).contains("findings"));
    }

    @Test
    void fourShardProcessesMergeToTheSameSummaryAsOneRun(@TempDir Path tmp) throws Exception {
        Path in = input(tmp);
        Path single = tmp.resolve("single");
        assertEquals(0, Main.run("batch", in.toString(), "--out", single.toString(), "--jobs", "2"));
        Path sharded = tmp.resolve("sharded");
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.vestige.cli.Main", "batch", in.toString(),
                    "--out", sharded.toString(), "--shard-count", "4").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("shard" + i + ".log").toFile());
            pb.environment().put("JOB_COMPLETION_INDEX", Integer.toString(i));
            procs.add(pb.start());
        }
        for (Process p : procs) {
            assertTrue(p.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
        assertEquals(0, Main.run("batch", "--merge", sharded.toString()));
        assertEquals(withoutTimings(single.resolve("summary.json")), withoutTimings(sharded.resolve("summary.json")));
    }

    @Test
    void aKilledBatchIsCompletedByARerunWithoutRedoingFinishedItems(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        for (String s : List.of("K1", "K2", "K3", "K4")) {
            triage(in.resolve("case-" + s), s);
        }
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.vestige.cli.Main", "batch", in.toString(), "--out", out.toString(),
                "--jobs", "1").redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path first = out.resolve("items/case-K1/item.json");
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (!Files.exists(first) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(60, TimeUnit.SECONDS);
        assertTrue(Files.exists(first), "the first item finished before the kill");
        FileTime before = Files.getLastModifiedTime(first);
        assertEquals(0, Main.run("batch", in.toString(), "--out", out.toString()));
        assertEquals(before, Files.getLastModifiedTime(first), "a finished item is not redone");
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, s.get("items").size());
        for (JsonNode r : s.get("items")) {
            assertEquals("ok", r.get("status").asText(), r.toString());
        }
        try (var list = Files.list(out.resolve("items"))) {
            assertTrue(list.noneMatch(x -> x.getFileName().toString().endsWith(".partial")), "no half-written item is left");
        }
    }

    @Test
    void shardsAreDisjointAndCoverEverything() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add("item-" + i);
        }
        for (String id : ids) {
            int owners = 0;
            for (int s = 0; s < 4; s++) {
                owners += new Shard(s, 4).owns(id) ? 1 : 0;
            }
            assertEquals(1, owners, id);
        }
        assertEquals(new Shard(2, 5), Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "5",
                "SLURM_ARRAY_TASK_MIN", "1"), null));
    }

    @Test
    void aCaseFolderOfImagesIsOneItemWhoseEvidenceIsItsFiles(@TempDir Path tmp) throws Exception {
        Path caseDir = tmp.resolve("in/case7");
        Files.createDirectories(caseDir);
        for (String n : List.of("mac.E01", "mac.E02", "unified-log.ndjson", "demo-root.pem")) {
            Files.write(caseDir.resolve(n), new byte[] {0});
        }
        Path tree = tmp.resolve("in/triage");
        Files.createDirectories(tree.resolve("private/tmp"));
        List<BatchItem> items = ItemDetector.detect(tmp.resolve("in"));
        assertEquals(List.of("case7", "triage"), items.stream().map(BatchItem::id).toList());
        assertEquals(List.of("mac.E01", "unified-log.ndjson"),
                items.get(0).evidence().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of(tree), items.get(1).evidence());
    }

    @Test
    void ewfSetsAndDmgPartsAreGrouped(@TempDir Path tmp) throws Exception {
        for (String n : List.of("disk.E01", "disk.E02", "disk.E03", "img.dmg", "img.002.dmgpart", "split.001", "split.002", "loose.tar")) {
            Files.write(tmp.resolve(n), new byte[] {0});
        }
        List<BatchItem> items = ItemDetector.detect(tmp);
        assertEquals(List.of("disk.E01", "img.dmg", "loose.tar", "split.001"), items.stream().map(BatchItem::id).toList());
        assertEquals(3, items.get(0).files().size());
    }
}
