package io.vestige.hashsets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A NIST NSRL RDSv3 reference data set: the SQLite database NIST publishes since 2022, opened
 * read-only and immutable (no journal, no locks, nothing written beside it).
 *
 * <p>Assumption, from NIST's RDSv3 schema: {@code FILE} (a table in the minimal sets, a view over
 * {@code METADATA} in the full ones) has the columns {@code sha256, sha1, md5, file_name,
 * file_size, package_id}, with hashes stored as upper-case hex; {@code PKG} maps
 * {@code package_id} to {@code name} and {@code version}. Equality on the stored text keeps the
 * hash index usable, so each digest is looked up upper-cased first and then as given in lower case
 * (a locally rebuilt database may store lower case); a {@code lower()} comparison would scan the
 * whole table.
 */
public final class NsrlDatabase implements AutoCloseable {
    /** A file record of the RDS. */
    public record Entry(String fileName, long fileSize, long packageId, String packageName, String packageVersion) {
    }

    private final Path file;
    private final Connection conn;
    private final Map<String, PreparedStatement> byAlgorithm = new TreeMap<>();
    private final PreparedStatement pkg;
    private final Map<String, String> version;

    private NsrlDatabase(Path file, Connection conn, boolean hasPkg, Map<String, String> version) throws SQLException {
        this.file = file;
        this.conn = conn;
        for (String a : new String[] {"sha256", "sha1", "md5"}) {
            // Column names are fixed literals, never user input; the value is always a bound parameter.
            byAlgorithm.put(a, conn.prepareStatement("SELECT file_name, file_size, package_id FROM FILE WHERE " + a
                    + " = ? ORDER BY package_id, file_name LIMIT 1"));
        }
        this.pkg = hasPkg ? conn.prepareStatement("SELECT name, version FROM PKG WHERE package_id = ? LIMIT 1") : null;
        this.version = version;
    }

    /** Opens an RDSv3 database read-only. */
    public static NsrlDatabase open(Path file) throws IOException {
        String name = String.valueOf(file.getFileName());
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "NSRL database not found");
        }
        byte[] head = new byte[16];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 16) != 16 || !new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
                throw new HashSetException(name + " is not an SQLite database, so not an NSRL RDSv3 set"
                        + " (RDSv2 text files are not supported; use --known-good for a hash list)");
            }
        }
        Connection c = null;
        try {
            org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
            cfg.setReadOnly(true);
            cfg.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
            String uri = "jdbc:sqlite:" + file.toAbsolutePath().toUri().toString().replace("file:///", "file:/")
                    + "?mode=ro&immutable=1";
            c = DriverManager.getConnection(uri, cfg.toProperties());
            Map<String, String> cols = columns(c, "FILE");
            for (String need : new String[] {"sha256", "sha1", "md5", "file_name", "file_size", "package_id"}) {
                if (!cols.containsKey(need)) {
                    throw new HashSetException(name + " is not an NSRL RDSv3 database: "
                            + (cols.isEmpty() ? "no FILE table or view" : "FILE has no " + need + " column"));
                }
            }
            Map<String, String> pk = columns(c, "PKG");
            boolean hasPkg = pk.containsKey("package_id") && pk.containsKey("name") && pk.containsKey("version");
            Map<String, String> version = new TreeMap<>();
            if (columns(c, "VERSION").containsKey("version")) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM VERSION LIMIT 1")) {
                    if (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            String v = rs.getString(i);
                            if (v != null) {
                                version.put(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT), v);
                            }
                        }
                    }
                }
            }
            NsrlDatabase db = new NsrlDatabase(file, c, hasPkg, version);
            c = null;
            return db;
        } catch (SQLException e) {
            throw new HashSetException(name + " could not be read as an NSRL RDSv3 SQLite database: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
        }
    }

    private static Map<String, String> columns(Connection c, String table) throws SQLException {
        Map<String, String> m = new TreeMap<>();
        // PRAGMA table_info cannot take a bound parameter; the table names are literals of this class.
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                m.put(rs.getString("name").toLowerCase(Locale.ROOT), String.valueOf(rs.getString("type")));
            }
        }
        return m;
    }

    public Path file() {
        return file;
    }

    /** The first row of the VERSION table (version, build set, dates), lower-case keys; empty when absent. */
    public Map<String, String> version() {
        return version;
    }

    /** The record for a hex digest of {@code sha256}, {@code sha1} or {@code md5}, or null. */
    public synchronized Entry lookup(String algorithm, String hex) throws IOException {
        PreparedStatement ps = byAlgorithm.get(algorithm);
        if (ps == null || hex == null) {
            return null;
        }
        try {
            Entry e = query(ps, hex.toUpperCase(Locale.ROOT));
            if (e == null) {
                e = query(ps, hex.toLowerCase(Locale.ROOT));
            }
            return e;
        } catch (SQLException ex) {
            throw new HashSetException("NSRL database " + file.getFileName() + ": lookup failed: " + ex.getMessage(), ex);
        }
    }

    private Entry query(PreparedStatement ps, String value) throws SQLException {
        ps.setString(1, value);
        String fileName;
        long size;
        long pid;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            fileName = rs.getString(1);
            size = rs.getLong(2);
            pid = rs.getLong(3);
        }
        String pname = null;
        String pver = null;
        if (pkg != null) {
            pkg.setLong(1, pid);
            try (ResultSet rs = pkg.executeQuery()) {
                if (rs.next()) {
                    pname = rs.getString(1);
                    pver = rs.getString(2);
                }
            }
        }
        return new Entry(fileName, size, pid, pname, pver);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            conn.close();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
