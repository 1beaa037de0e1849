package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vestige.fixtures.ewf.EwfWriter;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return Cli.json().readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new VerifyCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static byte[] media() {
        byte[] m = new byte[512 * 3000];
        Random r = new Random(8);
        for (int off = 0; off < m.length; off += 65536) {
            byte[] x = new byte[Math.min(32768, m.length - off)];
            r.nextBytes(x);
            System.arraycopy(x, 0, m, off, x.length);
        }
        return m;
    }

    static String hex(String alg, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    }

    @Test
    void matchingEwf() throws Exception {
        byte[] m = media();
        EwfWriter.Written w = EwfWriter.write(dir.resolve("ok.E01"), m, new EwfWriter.Options());
        Run r = run(w.segments().get(0).toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(hex("MD5", m), j.at("/computed/md5").asText());
        assertEquals(hex("SHA-1", m), j.at("/computed/sha1").asText());
        assertEquals(hex("SHA-256", m), j.at("/computed/sha256").asText());
        assertEquals(hex("MD5", m), j.at("/stored/md5").asText());
        assertTrue(j.get("match").asBoolean());
        assertEquals(0, j.get("damaged").size());
        Run text = run(w.segments().get(0).toString());
        assertEquals(0, text.code());
        assertTrue(text.out().contains("stored hashes match"), text.out());
    }

    @Test
    void mismatchReportsDamage() throws Exception {
        byte[] m = media();
        EwfWriter.Options o = new EwfWriter.Options();
        o.forceStored = Set.of(0L);
        EwfWriter.Written w = EwfWriter.write(dir.resolve("bad.E01"), m, o);
        byte[] all = Files.readAllBytes(w.segments().get(0));
        int at = indexOf(all, java.util.Arrays.copyOfRange(m, 0, 64));
        try (RandomAccessFile f = new RandomAccessFile(w.segments().get(0).toFile(), "rw")) {
            f.seek(at + 100);
            f.write(m[100] ^ 1);
        }
        Run r = run(w.segments().get(0).toString(), "--json");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode j = r.json();
        assertEquals(false, j.get("match").asBoolean());
        assertEquals(1, j.get("damaged").size());
        assertEquals(0, j.at("/damaged/0/offset").asLong());
        assertEquals(32768, j.at("/damaged/0/length").asLong());
        Run z = run(w.segments().get(0).toString(), "--json", "--zero-on-checksum-error");
        byte[] zeroed = m.clone();
        java.util.Arrays.fill(zeroed, 0, 32768, (byte) 0);
        assertEquals(hex("MD5", zeroed), z.json().at("/computed/md5").asText());
    }

    private static int indexOf(byte[] all, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= all.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (all[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void rawHasNothingStored() throws Exception {
        byte[] m = media();
        Path p = dir.resolve("disk.dd");
        Files.write(p, m);
        Run r = run(p.toString(), "--json");
        assertEquals(2, r.code());
        assertTrue(r.json().get("match").isNull());
        assertEquals(hex("SHA-256", m), r.json().at("/computed/sha256").asText());
    }

    @Test
    void missingFile() {
        Run r = run(dir.resolve("nope.E01").toString());
        assertTrue(r.code() != 0);
    }

    @Tag("corpus")
    @Test
    void corpusBadChunkMatchesEwfverify() throws Exception {
        Path p = Corpus.file("ewf/e01rs_bad_chunk.E01");
        Run r = run(p.toString(), "--json");
        assertEquals(1, r.code());
        JsonNode j = r.json();
        assertEquals(1, j.get("damaged").size());
        assertEquals(0, j.at("/damaged/0/chunk").asLong());
        Tools.assume("ewfverify", "ewf-tools");
        Tools.Result v = Tools.run(List.of("ewfverify", "-q", "-d", "sha1", p.toString()));
        assertTrue(v.out().contains("MD5 hash calculated over data:\t\t" + j.at("/computed/md5").asText()), v.out());
        assertTrue(v.out().contains("SHA1 hash calculated over data:\t\t" + j.at("/computed/sha1").asText()), v.out());
    }
}
