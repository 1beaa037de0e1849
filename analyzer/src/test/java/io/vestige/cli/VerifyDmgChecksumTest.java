package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.testing.Corpus;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DMG stores CRC-32s of its data: {@code verify} checks them like an E01's stored hashes. */
@Tag("corpus")
class VerifyDmgChecksumTest {
    @Test
    void damagedDmgDataIsAMismatch(@TempDir Path tmp) throws Exception {
        Path good = Corpus.file("dmg/nodeudif_compression-raw.dmg");
        CliTestSupport.Run ok = CliTestSupport.run("verify", good.toString());
        assertEquals(ExitCodes.OK, ok.exit(), ok.out() + ok.err());
        Path bad = tmp.resolve("bad.dmg");
        Files.copy(good, bad);
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            f.seek(f.length() / 3);
            f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        }
        CliTestSupport.Run r = CliTestSupport.run("verify", bad.toString());
        assertEquals(ExitCodes.NEGATIVE, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("MISMATCH (data fork"), r.out());
    }
}
