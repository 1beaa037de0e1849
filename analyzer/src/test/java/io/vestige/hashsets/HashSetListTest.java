package io.vestige.hashsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashSetListTest {
    // Digests of the ASCII bytes "abc" (FIPS 180-2 / RFC 1321 test vectors).
    static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String ABC_SHA1 = "a9993e364706816aba3e25717850c26c9cd0d89d";
    static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";

    static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void headerWithAllColumnsAnyCaseAndQuotedFields(@TempDir Path tmp) throws Exception {
        Path f = write(tmp, "bad.csv", "\uFEFFSHA256,Name,Description,Source,MD5\r\n"
                + ABC_SHA256.toUpperCase() + ",evil,\"stealer, variant \"\"A\"\"\",intel-feed,\r\n"
                + "\n# comment line\n"
                + "," + "x.bin" + ",,," + "D41D8CD98F00B204E9800998ECF8427E\n");
        HashList l = HashList.read("known-bad", f, 100);
        assertEquals(Map.of("md5", 1, "sha1", 0, "sha256", 1), l.counts());
        HashList.Entry e = l.lookup("sha256", ABC_SHA256);
        assertEquals(new HashList.Entry("evil", "stealer, variant \"A\"", "intel-feed"), e);
        assertEquals("x.bin", l.lookup("md5", "d41d8cd98f00b204e9800998ecf8427e").name());
        assertNull(l.lookup("sha1", ABC_SHA1));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))), l.fileSha256());
    }

    @Test
    void headerWithOnlySha1(@TempDir Path tmp) throws Exception {
        HashList l = HashList.read("known-good", write(tmp, "g.csv", "sha1\n" + ABC_SHA1 + "\n"), 100);
        assertEquals("known-good", l.kind());
        assertEquals(1, l.size());
        assertEquals(new HashList.Entry(null, null, null), l.lookup("sha1", ABC_SHA1.toUpperCase()));
    }

    @Test
    void plainListTypesByLength(@TempDir Path tmp) throws Exception {
        HashList l = HashList.read("known-bad", write(tmp, "p.txt", ABC_MD5 + "\n" + ABC_SHA1.toUpperCase() + "\n  " + ABC_SHA256 + "  \n\n"), 100);
        assertEquals(Map.of("md5", 1, "sha1", 1, "sha256", 1), l.counts());
        assertTrue(l.lookup("sha1", ABC_SHA1) != null);
        assertTrue(l.lookup("md5", ABC_MD5) != null);
        assertTrue(l.lookup("sha256", ABC_SHA256) != null);
        assertNull(l.lookup("sha256", ABC_MD5));
    }

    @Test
    void badRowsNameFileAndLine(@TempDir Path tmp) throws Exception {
        HashSetException e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "a.csv", "sha256,name\n" + ABC_SHA256 + ",ok\nnothex,bad\n"), 100));
        assertTrue(e.getMessage().startsWith("a.csv line 3:"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "b.csv", "sha256\n" + ABC_MD5 + "\n"), 100));
        assertTrue(e.getMessage().contains("b.csv line 2") && e.getMessage().contains("not a hex SHA256"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "c.csv", "sha256,name\n,only a name\n"), 100));
        assertTrue(e.getMessage().contains("c.csv line 2: no hash"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "d.csv", "sha256\n" + ABC_SHA256 + ",extra\n"), 100));
        assertTrue(e.getMessage().contains("d.csv line 2: 2 fields, the header has 1"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "e.txt", ABC_MD5 + "\n" + ABC_MD5 + "0\n"), 100));
        assertTrue(e.getMessage().startsWith("e.txt line 2:"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "f.csv", "hash,name\n"), 100));
        assertTrue(e.getMessage().startsWith("f.csv line 1: expected a header"), e.getMessage());
        e = assertThrows(HashSetException.class,
                () -> HashList.read("known-bad", write(tmp, "g.csv", "sha256,name\n" + ABC_SHA256 + ",\"open\n"), 100));
        assertTrue(e.getMessage().contains("g.csv line 2: unterminated"), e.getMessage());
        Path bin = tmp.resolve("h.csv");
        Files.write(bin, new byte[] {'s', 'h', 'a', '1', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        e = assertThrows(HashSetException.class, () -> HashList.read("known-bad", bin, 100));
        assertTrue(e.getMessage().contains("h.csv line 2: not UTF-8"), e.getMessage());
    }

    @Test
    void entryBoundIsEnforced(@TempDir Path tmp) throws Exception {
        Path f = write(tmp, "big.txt", ABC_MD5 + "\n" + ABC_SHA1 + "\n" + ABC_SHA256 + "\n");
        assertEquals(3, HashList.read("known-bad", f, 3).size());
        HashSetException e = assertThrows(HashSetException.class, () -> HashList.read("known-bad", f, 2));
        assertTrue(e.getMessage().contains("big.txt line 3: more than 2 entries"), e.getMessage());
    }

    @Test
    void hashSetsLookupOrderAndDescription(@TempDir Path tmp) throws Exception {
        Path bad = write(tmp, "bad.csv", "md5,name,description\n" + ABC_MD5 + ",evil,dropper\n");
        Path good = write(tmp, "good.txt", ABC_SHA256 + "\n");
        try (HashSets s = HashSets.load(java.util.List.of(good), java.util.List.of(bad), java.util.List.of())) {
            var hits = s.lookup("/x/abc", ABC_MD5, ABC_SHA1, ABC_SHA256);
            assertEquals(2, hits.size(), hits.toString());
            assertEquals("known-bad", hits.get(0).set());
            assertEquals("md5", hits.get(0).matchedBy());
            assertEquals("evil", hits.get(0).name());
            assertEquals("dropper", hits.get(0).description());
            assertEquals("known-good", hits.get(1).set());
            assertEquals("sha256", hits.get(1).matchedBy());
            assertEquals(ABC_SHA256, hits.get(1).sha256());
            assertEquals(2, s.describe().size());
            assertEquals("bad.csv", s.describe().get(0).get("file"));
            assertTrue(s.lookup("/y", ABC_MD5.replace('9', '8'), null, null).isEmpty());
        }
    }
}
