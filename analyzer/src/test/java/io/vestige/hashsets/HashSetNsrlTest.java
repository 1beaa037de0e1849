package io.vestige.hashsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An NSRL-like database built with the RDSv3 minimal schema (FILE, PKG, VERSION), hashes in upper case as NIST stores them. */
class HashSetNsrlTest {
    static Path rds(Path dir) throws Exception {
        Path db = dir.resolve("RDS_2024.03.1_modern_minimal.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL,"
                    + " file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL,"
                    + " CONSTRAINT PK_FILE__FILE PRIMARY KEY (sha256, sha1, md5, file_name, file_size, package_id))");
            st.execute("CREATE INDEX IDX_FILE__SHA1 ON FILE (sha1)");
            st.execute("CREATE INDEX IDX_FILE__MD5 ON FILE (md5)");
            st.execute("CREATE TABLE PKG (package_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL,"
                    + " operating_system_id INTEGER NOT NULL, manufacturer_id INTEGER NOT NULL, language VARCHAR NOT NULL,"
                    + " application_type VARCHAR NOT NULL)");
            st.execute("CREATE TABLE VERSION (version VARCHAR UNIQUE NOT NULL, build_set VARCHAR NOT NULL,"
                    + " build_date TIMESTAMP NOT NULL, release_date TIMESTAMP NOT NULL, description VARCHAR NOT NULL)");
            st.execute("INSERT INTO FILE VALUES ('" + HashSetListTest.ABC_SHA256.toUpperCase() + "', '"
                    + HashSetListTest.ABC_SHA1.toUpperCase() + "', '" + HashSetListTest.ABC_MD5.toUpperCase()
                    + "', 'abc.txt', 3, 42)");
            st.execute("INSERT INTO PKG VALUES (42, 'Alphabet Tools', '1.2', 1, 1, 'English', 'Utility')");
            st.execute("INSERT INTO VERSION VALUES ('2024.03.1', 'modern', '2024-03-01', '2024-03-15', 'test set')");
        }
        return db;
    }

    @Test
    void looksUpUpperCaseStoredHashesWithPackage(@TempDir Path tmp) throws Exception {
        Path db = rds(tmp);
        long before = Files.size(db);
        try (NsrlDatabase n = NsrlDatabase.open(db)) {
            NsrlDatabase.Entry e = n.lookup("sha256", HashSetListTest.ABC_SHA256);
            assertEquals(new NsrlDatabase.Entry("abc.txt", 3, 42, "Alphabet Tools", "1.2"), e);
            assertEquals("abc.txt", n.lookup("sha1", HashSetListTest.ABC_SHA1).fileName());
            assertEquals("abc.txt", n.lookup("md5", HashSetListTest.ABC_MD5.toUpperCase()).fileName());
            assertNull(n.lookup("md5", "d41d8cd98f00b204e9800998ecf8427e"));
            assertEquals("2024.03.1", n.version().get("version"));
        }
        assertEquals(before, Files.size(db));
        assertTrue(Files.list(tmp).allMatch(p -> p.equals(db)), "read-only open leaves no journal or WAL files");
        try (HashSets s = HashSets.load(List.of(), List.of(), List.of(db))) {
            var hits = s.lookup("/a/abc.txt", null, null, HashSetListTest.ABC_SHA256);
            assertEquals(1, hits.size());
            assertEquals("nsrl", hits.get(0).set());
            assertEquals("Alphabet Tools 1.2 (package 42)", hits.get(0).description());
            assertEquals("abc.txt", hits.get(0).name());
            assertEquals(HashSets.sha256(db), s.describe().get(0).get("sha256"));
        }
    }

    @Test
    void pathWithSpacesAndUriCharacters(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("NSRL sets #1 ?&=%20"));
        // sqlite-jdbc's plain jdbc:sqlite:PATH form cuts at '?', so build elsewhere and move it in.
        Path db = Files.move(rds(tmp), dir.resolve("rds ?mode=rwc.db"));
        try (NsrlDatabase n = NsrlDatabase.open(db)) {
            assertEquals("abc.txt", n.lookup("sha256", HashSetListTest.ABC_SHA256).fileName());
        }
    }

    @Test
    void lowerCaseStorageAlsoMatches(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("local.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE FILE (sha256 VARCHAR, sha1 VARCHAR, md5 VARCHAR, file_name VARCHAR, file_size INTEGER, package_id INTEGER)");
            st.execute("INSERT INTO FILE VALUES ('" + HashSetListTest.ABC_SHA256 + "', '', '', 'abc', 3, 7)");
        }
        try (NsrlDatabase n = NsrlDatabase.open(db)) {
            NsrlDatabase.Entry e = n.lookup("sha256", HashSetListTest.ABC_SHA256.toUpperCase());
            assertEquals(new NsrlDatabase.Entry("abc", 3, 7, null, null), e);
        }
    }

    @Test
    void notAnRdsDatabase(@TempDir Path tmp) throws Exception {
        Path other = tmp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE FILE (path VARCHAR)");
        }
        HashSetException e = assertThrows(HashSetException.class, () -> NsrlDatabase.open(other));
        assertTrue(e.getMessage().contains("not an NSRL RDSv3 database: FILE has no sha256"), e.getMessage());
        Path empty = tmp.resolve("empty.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + empty); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE X (a INTEGER)");
        }
        e = assertThrows(HashSetException.class, () -> NsrlDatabase.open(empty));
        assertTrue(e.getMessage().contains("no FILE table or view"), e.getMessage());
        Path text = tmp.resolve("NSRLFile.txt");
        Files.writeString(text, "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\"\n");
        e = assertThrows(HashSetException.class, () -> NsrlDatabase.open(text));
        assertTrue(e.getMessage().contains("not an SQLite database"), e.getMessage());
        var nf = assertThrows(java.nio.file.NoSuchFileException.class, () -> NsrlDatabase.open(tmp.resolve("missing.db")));
        assertTrue(nf.getMessage().contains("missing.db"), nf.getMessage());
    }
}
