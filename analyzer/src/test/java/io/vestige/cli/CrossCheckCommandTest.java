package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vestige.format.tsk.TskLibrary;
import io.vestige.testing.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vestige crosscheck} end to end (registered by the lead in Main; run here on its own). */
class CrossCheckCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = new CommandLine(new CrossCheckCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assumeTsk() {
        Assumptions.assumeTrue(TskLibrary.isAvailable(null), "libtsk not installed; " + TskLibrary.INSTALL_HINT);
    }

    @Test
    @Tag("corpus")
    void aFileSystemOnlyTskReadsHasNothingToCompare() throws Exception {
        assumeTsk();
        Path img = Corpus.file("hfsplus/dfvfs_hfsplus.raw");
        Run r = run(img.toString());
        assertEquals(ExitCodes.NOT_DETERMINABLE, r.exit(), r.err());
        assertTrue(r.out().contains("no native reader for hfsplus"), r.out());

        Run j = run("--json", img.toString());
        assertEquals(ExitCodes.NOT_DETERMINABLE, j.exit(), j.err());
        JsonNode doc = Cli.json().readTree(j.out());
        assertEquals(TskLibrary.load((String) null).version(), doc.get("libtsk").asText());
        assertEquals(0, doc.get("results").size());
        assertEquals(1, doc.get("notes").size());
    }

    @Test
    void aFolderIsNotReadByTsk(@TempDir Path tmp) throws Exception {
        assumeTsk();
        Files.writeString(tmp.resolve("a.txt"), "hello");
        Run r = run(tmp.toString());
        assertEquals(ExitCodes.NOT_DETERMINABLE, r.exit(), r.err());
        assertTrue(r.out().contains("does not read it"), r.out());
    }

    @Test
    void aMissingLibraryIsReportedWithWhatToInstall(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("a.txt"), "hello");
        Run r = run("--tsk-lib", tmp.resolve("nope.so").toString(), tmp.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("libtsk19"), r.err());
    }
}
