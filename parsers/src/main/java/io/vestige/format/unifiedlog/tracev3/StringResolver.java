package io.vestige.format.unifiedlog.tracev3;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Loads uuidtext and dsc files on demand from the store's {@code uuidtext} folder, with bounded LRU
 * caches (absent files are remembered too, so each is looked up once).
 */
final class StringResolver {
    private static final Object ABSENT = new Object();

    private final FileSystem fs;
    private final String root;
    private final ParseLimits limits;
    private final Diagnostics diags;
    private final Map<UUID, Object> uuidtexts = lru(1024);
    private final Map<UUID, Object> dscs = lru(4);

    StringResolver(FileSystem fs, String uuidtextPath, ParseLimits limits, Diagnostics diags) {
        this.fs = fs;
        this.root = uuidtextPath == null ? null : (uuidtextPath.endsWith("/") ? uuidtextPath.substring(0, uuidtextPath.length() - 1) : uuidtextPath);
        this.limits = limits;
        this.diags = diags;
    }

    private static Map<UUID, Object> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Object> e) {
                return size() > max;
            }
        };
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** 32 upper-case hex digits, as uuidtext and dsc files are named (hot: called per event). */
    static String hex(UUID u) {
        char[] c = new char[32];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (hi & 0xf)];
            hi >>>= 4;
            c[16 + i] = HEX[(int) (lo & 0xf)];
            lo >>>= 4;
        }
        return new String(c);
    }

    Uuidtext uuidtext(UUID u) {
        if (u == null || root == null) {
            return null;
        }
        Object o = uuidtexts.get(u);
        if (o == null) {
            String h = hex(u);
            o = load(root + "/" + h.substring(0, 2) + "/" + h.substring(2), true);
            uuidtexts.put(u, o == null ? ABSENT : o);
        }
        return o instanceof Uuidtext t ? t : null;
    }

    SharedCacheStrings dsc(UUID u) {
        if (u == null || root == null) {
            return null;
        }
        Object o = dscs.get(u);
        if (o == null) {
            o = load(root + "/dsc/" + hex(u), false);
            dscs.put(u, o == null ? ABSENT : o);
        }
        return o instanceof SharedCacheStrings s ? s : null;
    }

    private Object load(String path, boolean uuidtext) {
        try {
            FileEntry e = fs.lookup(path);
            if (e == null || !e.isFile()) {
                return null;
            }
            limits.check("maxMetadataSize", e.size(), uuidtext ? "uuidtext" : "dsc", -1);
            try (ByteSource src = e.content()) {
                byte[] b = src.readBytes(0, (int) src.size());
                return uuidtext ? Uuidtext.parse(b, limits) : SharedCacheStrings.parse(b, limits);
            }
        } catch (ParseException ex) {
            diags.add(Diagnostic.warning(path, ex.structure(), ex.offset(), "unreadable string file: " + ex.getMessage()));
            return null;
        } catch (IOException ex) {
            diags.add(Diagnostic.warning(path, uuidtext ? "uuidtext" : "dsc", -1, "cannot read: " + ex));
            return null;
        }
    }
}
