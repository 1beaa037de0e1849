package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vestige.fixtures.scenario.DemoCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void demoGivesEachScenarioItsVerdictAndIsReproducible(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        CliTestSupport.Run r = CliTestSupport.run("demo", "--out", a.toString(), "--reproducible");
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("report.html", "report.json", "timeline.jsonl", "manifest.json")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
        }
        JsonNode rep = new ObjectMapper().readTree(a.resolve("report.json").toFile());
        Map<String, JsonNode> byPath = new HashMap<>();
        for (JsonNode f : rep.get("findings")) {
            byPath.put(f.get("bundlePath").asText(), f);
            if (f.get("executable").isNull()) {
                assertEquals("undetermined", f.get("verdict").asText(), f.get("bundlePath").asText());
                continue;
            }
            assertTrue(f.at("/executable/sha256").asText().matches("[0-9a-f]{64}"), f.get("bundlePath").asText());
            assertTrue(f.get("evidencePath").asText().startsWith("mac.E01 \u203a gpt #2 @ "), f.get("evidencePath").asText());
            for (JsonNode reason : f.get("reasons")) {
                assertTrue(reason.has("attack"), reason.toString());
            }
        }
        assertEquals("consistent-with-legitimate", byPath.get(DemoCase.LEGIT).get("verdict").asText());
        assertTrue(byPath.get(DemoCase.LEGIT).get("reasons").toString().contains("SIG-VALID-USER-ANCHOR"));
        assertEquals("malicious-indicators", byPath.get(DemoCase.LOOKALIKE).get("verdict").asText());
        assertEquals("malicious-indicators", byPath.get(DemoCase.TAMPERED).get("verdict").asText());
        assertTrue(byPath.get(DemoCase.TAMPERED).get("reasons").toString().contains("SIG-INVALID"));
        assertEquals("suspicious", byPath.get(DemoCase.UNRELATED).get("verdict").asText());
        assertEquals("H048", byPath.get(DemoCase.LEGIT).get("rule").asText());
        JsonNode gone = byPath.get(io.vestige.fixtures.scenario.DemoTraces.VANISHED);
        assertEquals("undetermined", gone.get("verdict").asText());
        assertTrue(gone.get("reasons").toString().contains("BINARY-GONE"));
        assertTrue(gone.get("timeline").toString().contains("fsevents") && gone.get("timeline").toString().contains("unified log"),
                "the vanished bundle is known from FSEvents and the unified log");
        assertTrue(byPath.get(DemoCase.LOOKALIKE).get("reasons").toString().contains("ORIGIN-FOREIGN"));
        assertTrue(byPath.get(DemoCase.LEGIT).get("reasons").toString().contains("ORIGIN-MATCH"));
        JsonNode recovered = byPath.get(io.vestige.fixtures.scenario.DemoImage.RECOVERED);
        assertEquals("malicious-indicators", recovered.get("verdict").asText());
        assertTrue(recovered.get("reasons").toString().contains("SIG-ADHOC"));
        assertTrue(recovered.get("notes").toString().contains("APFS checkpoint xid"), recovered.get("notes").toString());
        JsonNode ev0 = rep.get("evidence").get(0);
        assertEquals("ewf", ev0.at("/container/format").asText());
        assertEquals("DEMO-0001", ev0.at("/container/metadata/caseNumber").asText());
        for (String line : Files.readAllLines(a.resolve("timeline.jsonl"))) {
            JsonNode ev = new ObjectMapper().readTree(line);
            assertTrue(ev.has("message") && ev.has("datetime") && ev.has("timestamp_desc"), line);
        }
        assertEquals("TEMP-APP", byPath.get(DemoCase.UNRELATED).get("rule").asText());

        Path b = tmp.resolve("b");
        assertEquals(0, CliTestSupport.run("demo", "--out", b.toString(), "--reproducible").exit());
        for (String f : List.of("report.html", "report.json", "timeline.jsonl", "timeline.csv", "bodyfile.txt", "manifest.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void theSameCaseAsATriageCollectionGivesTheSameVerdicts(@TempDir Path tmp) throws Exception {
        DemoCase.Written w = DemoCase.write(tmp.resolve("ev"));
        Path out = tmp.resolve("out");
        CliTestSupport.Run r = CliTestSupport.run("analyze", w.triage().toString(), w.logExport().toString(), "--out",
                out.toString(), "--trust-anchor", w.trustAnchor().toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        Map<String, String> verdicts = new HashMap<>();
        for (JsonNode f : rep.get("findings")) {
            verdicts.put(f.get("bundlePath").asText(), f.get("verdict").asText());
        }
        assertEquals(Map.of(DemoCase.LEGIT, "consistent-with-legitimate", DemoCase.LOOKALIKE, "malicious-indicators",
                DemoCase.TAMPERED, "malicious-indicators", DemoCase.UNRELATED, "suspicious",
                io.vestige.fixtures.scenario.DemoTraces.VANISHED, "undetermined"), verdicts);
    }
}
