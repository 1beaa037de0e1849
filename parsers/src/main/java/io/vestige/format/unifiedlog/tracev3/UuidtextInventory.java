package io.vestige.format.unifiedlog.tracev3;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Lists the images a uuidtext folder knows: every {@code XX/<30 hex>} file with its image UUID (folder
 * name + file name) and the image path from the file's footer, and every image listed in the
 * {@code dsc} files. An image that ran leaves its uuidtext behind even after the binary is deleted.
 */
public final class UuidtextInventory {
    private static final Pattern DIR = Pattern.compile("[0-9A-Fa-f]{2}");
    private static final Pattern FILE = Pattern.compile("[0-9A-Fa-f]{30}");
    private static final Pattern DSC = Pattern.compile("[0-9A-Fa-f]{32}");

    /** One image: where it was listed ({@code uuidtext} or {@code dsc}). */
    public record Entry(UUID uuid, String imagePath, long size, String kind, EvidencePath source) {
    }

    private UuidtextInventory() {
    }

    public static List<Entry> scan(FileSystem fs, String path) throws IOException {
        return scan(fs, path, ParseLimits.defaults(), new Diagnostics());
    }

    /** Scans a uuidtext folder; unreadable files become diagnostics (listed with a {@code null} path). */
    public static List<Entry> scan(FileSystem fs, String path, ParseLimits limits, Diagnostics diags) throws IOException {
        List<Entry> out = new ArrayList<>();
        FileEntry root = fs.lookup(path);
        if (root == null || !root.isDirectory()) {
            return out;
        }
        for (FileEntry d : root.children()) {
            if (!d.isDirectory()) {
                continue;
            }
            if (DIR.matcher(d.name()).matches()) {
                for (FileEntry f : d.children()) {
                    if (!f.isFile() || !FILE.matcher(f.name()).matches()) {
                        continue;
                    }
                    UUID u = uuid(d.name() + f.name());
                    String image = null;
                    try (ByteSource s = f.content()) {
                        limits.check("maxMetadataSize", s.size(), "uuidtext", 0);
                        image = Uuidtext.parse(s.readBytes(0, (int) s.size()), limits).imagePath();
                    } catch (ParseException e) {
                        diags.add(Diagnostic.of(f.evidencePath().toString(), e, Diagnostic.Severity.WARNING));
                    }
                    out.add(new Entry(u, image, f.size(), "uuidtext", f.evidencePath()));
                }
            } else if (d.name().equalsIgnoreCase("dsc")) {
                for (FileEntry f : d.children()) {
                    if (!f.isFile() || f.name().startsWith("._")) {
                        continue;
                    }
                    try (ByteSource s = f.content()) {
                        limits.check("maxMetadataSize", s.size(), "dsc", 0);
                        SharedCacheStrings dsc = SharedCacheStrings.parse(s.readBytes(0, (int) s.size()), limits);
                        for (SharedCacheStrings.Image i : dsc.images()) {
                            out.add(new Entry(i.uuid(), i.path(), i.textSize(), "dsc", f.evidencePath()));
                        }
                    } catch (ParseException e) {
                        diags.add(Diagnostic.of(f.evidencePath().toString(), e, Diagnostic.Severity.WARNING));
                    }
                    if (!DSC.matcher(f.name()).matches()) {
                        diags.add(Diagnostic.info(f.evidencePath().toString(), "dsc", -1, "dsc file name is not a UUID"));
                    }
                }
            }
        }
        out.sort(Comparator.comparing((Entry e) -> e.kind()).thenComparing(e -> e.uuid().toString())
                .thenComparing(e -> String.valueOf(e.imagePath())));
        return out;
    }

    static UUID uuid(String hex32) {
        String h = hex32.toUpperCase(Locale.ROOT);
        return new UUID(Long.parseUnsignedLong(h.substring(0, 16), 16), Long.parseUnsignedLong(h.substring(16), 16));
    }
}
