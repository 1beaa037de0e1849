package io.vestige.format.quarantine;

import io.vestige.evidence.EvidencePath;
import io.vestige.io.ByteSource;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads the QuarantineEventsV2 SQLite database ({@code ~/Library/Preferences/com.apple.LaunchServices.QuarantineEventsV2},
 * table {@code LSQuarantineEvent}). The database bytes are copied from the evidence into a private
 * temporary folder and opened read-only and immutable ({@code ?mode=ro&immutable=1}), so SQLite never
 * writes, locks or replays anything; the copy is deleted afterwards. A {@code -wal} file beside the
 * database is not replayed (immutable mode ignores it).
 */
public final class QuarantineEventsDb {
    /** Where Launch Services keeps the database, relative to a home folder. */
    public static final String RELATIVE_PATH = "Library/Preferences/com.apple.LaunchServices.QuarantineEventsV2";
    /** Seconds from 1970-01-01 to 2001-01-01 (Mac absolute time epoch). */
    static final long MAC_EPOCH = 978_307_200L;

    private final List<QuarantineEvent> events;
    private final Map<String, QuarantineEvent> byId;

    private QuarantineEventsDb(List<QuarantineEvent> events) {
        this.events = List.copyOf(events);
        Map<String, QuarantineEvent> m = new TreeMap<>();
        for (QuarantineEvent e : events) {
            if (e.eventIdentifierText() != null) {
                m.putIfAbsent(e.eventIdentifierText().toUpperCase(Locale.ROOT), e);
            }
        }
        this.byId = m;
    }

    public List<QuarantineEvent> events() {
        return events;
    }

    /** The join helper: the row whose event identifier equals the xattr's UUID. */
    public Optional<QuarantineEvent> lookup(QuarantineXattr x) {
        if (x == null || x.eventId() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byId.get(x.eventIdText()));
    }

    public Optional<QuarantineEvent> lookup(UUID id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id.toString().toUpperCase(Locale.ROOT)));
    }

    /** The QuarantineEventsV2 databases of every home folder under {@code /Users} (and root's), by path. */
    public static Map<String, QuarantineEventsDb> findAll(io.vestige.evidence.FileSystem fs, ParseLimits limits,
                                                         io.vestige.io.Diagnostics diags) throws IOException {
        Map<String, QuarantineEventsDb> out = new TreeMap<>();
        List<String> homes = new ArrayList<>();
        io.vestige.evidence.FileEntry users = fs.lookup("/Users");
        if (users != null && users.isDirectory()) {
            for (io.vestige.evidence.FileEntry u : users.children()) {
                if (u.isDirectory()) {
                    homes.add(u.path());
                }
            }
        }
        homes.add("/private/var/root");
        for (String h : homes) {
            io.vestige.evidence.FileEntry f = fs.lookup(h + "/" + RELATIVE_PATH);
            if (f == null || !f.isFile()) {
                continue;
            }
            try (ByteSource src = f.content()) {
                out.put(f.path(), read(src, f.evidencePath(), limits));
            } catch (io.vestige.io.ParseException e) {
                diags.add(io.vestige.io.Diagnostic.of(f.evidencePath().toString(), e, io.vestige.io.Diagnostic.Severity.WARNING));
            }
        }
        return out;
    }

    /** Reads every row of {@code LSQuarantineEvent}, sorted by time then identifier. */
    public static QuarantineEventsDb read(ByteSource db, EvidencePath where, ParseLimits limits) throws IOException {
        limits.check("maxMetadataSize", db.size(), "QuarantineEventsV2", 0);
        byte[] head = db.readAtMost(0, 16);
        if (head.length < 16 || !new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
            throw new io.vestige.io.BadMagicException("QuarantineEventsV2", 0, "SQLite format 3", "other bytes");
        }
        Path dir = createPrivateDir();
        Path copy = dir.resolve("quarantine.db");
        try {
            try (InputStream in = db.openStream(); OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            return new QuarantineEventsDb(query(copy, where, limits));
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(dir);
        }
    }

    private static Path createPrivateDir() throws IOException {
        try {
            return Files.createTempDirectory("vestige-qtn-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory("vestige-qtn-");
        }
    }

    private static List<QuarantineEvent> query(Path file, EvidencePath where, ParseLimits limits) throws IOException {
        String url = "jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro&immutable=1";
        List<QuarantineEvent> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            Set<String> cols = new HashSet<>();
            try (ResultSet rs = st.executeQuery("PRAGMA table_info(LSQuarantineEvent)")) {
                while (rs.next()) {
                    cols.add(rs.getString("name"));
                }
            }
            if (cols.isEmpty()) {
                throw new MalformedException("QuarantineEventsV2", -1, "table LSQuarantineEvent not found");
            }
            try (ResultSet rs = st.executeQuery("SELECT rowid AS vestige_rowid, * FROM LSQuarantineEvent")) {
                while (rs.next()) {
                    if (out.size() >= limits.maxRecords()) {
                        limits.check("maxRecords", out.size() + 1L, "LSQuarantineEvent", -1);
                    }
                    String idText = str(rs, cols, "LSQuarantineEventIdentifier");
                    UUID id = null;
                    if (idText != null) {
                        try {
                            id = UUID.fromString(idText.trim());
                        } catch (IllegalArgumentException e) {
                            id = null;
                        }
                    }
                    Double mac = null;
                    Instant t = null;
                    if (cols.contains("LSQuarantineTimeStamp")) {
                        Object v = rs.getObject("LSQuarantineTimeStamp");
                        if (v instanceof Number n) {
                            mac = n.doubleValue();
                            t = macTime(n.doubleValue());
                        }
                    }
                    Long type = null;
                    if (cols.contains("LSQuarantineTypeNumber") && rs.getObject("LSQuarantineTypeNumber") instanceof Number n) {
                        type = n.longValue();
                    }
                    out.add(new QuarantineEvent(id, idText, t, mac, str(rs, cols, "LSQuarantineAgentName"),
                            str(rs, cols, "LSQuarantineAgentBundleIdentifier"), str(rs, cols, "LSQuarantineDataURLString"),
                            str(rs, cols, "LSQuarantineOriginURLString"), str(rs, cols, "LSQuarantineOriginTitle"),
                            str(rs, cols, "LSQuarantineSenderName"), str(rs, cols, "LSQuarantineSenderAddress"), type,
                            where.then("sqlite", "LSQuarantineEvent rowid " + rs.getLong("vestige_rowid"))));
                }
            }
        } catch (SQLException e) {
            throw new MalformedException("QuarantineEventsV2", -1, "SQLite: " + e.getMessage(), e);
        }
        out.sort((a, b) -> {
            int k = a.timeStamp() == null ? (b.timeStamp() == null ? 0 : 1)
                    : b.timeStamp() == null ? -1 : a.timeStamp().compareTo(b.timeStamp());
            return k != 0 ? k : String.valueOf(a.eventIdentifierText()).compareTo(String.valueOf(b.eventIdentifierText()));
        });
        return out;
    }

    /** Mac absolute time (seconds since 2001, fractional) to an instant, rounded to the microsecond. */
    static Instant macTime(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 1e12) {
            return null;
        }
        BigDecimal us = new BigDecimal(seconds).setScale(6, RoundingMode.HALF_EVEN);
        long whole = us.setScale(0, RoundingMode.FLOOR).longValueExact();
        long nanos = us.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(MAC_EPOCH + whole, nanos);
    }

    private static String str(ResultSet rs, Set<String> cols, String name) throws SQLException {
        if (!cols.contains(name)) {
            return null;
        }
        Object v = rs.getObject(name);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v.toString();
    }
}
