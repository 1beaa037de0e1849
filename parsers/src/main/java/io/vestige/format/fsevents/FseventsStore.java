package io.vestige.format.fsevents;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .fseventsd} folders of a file system ({@code /.fseventsd} and, on a split system
 * volume, {@code /System/Volumes/Data/.fseventsd}), read file by file in name (= event id) order.
 * {@code fseventsd-uuid} and AppleDouble {@code ._*} files are skipped.
 */
public final class FseventsStore {
    /** Folders searched, in order. */
    public static final List<String> FOLDERS = List.of("/.fseventsd", "/System/Volumes/Data/.fseventsd");
    private static final Pattern LOG_NAME = Pattern.compile("[0-9a-fA-F]{16}");

    /** One file's summary with where it lives and its modification time (the upper time bound). */
    public record FileInfo(String path, Instant modified, FseventsFile.Summary summary) {
    }

    private FseventsStore() {
    }

    /** Reads every FSEvents file found in the standard folders of {@code fs}. */
    public static List<FileInfo> read(FileSystem fs, ParseLimits limits, Diagnostics diags, FseventsFile.Sink sink)
            throws IOException {
        List<FileInfo> out = new ArrayList<>();
        for (String folder : FOLDERS) {
            FileEntry dir = fs.lookup(folder);
            if (dir == null || !dir.isDirectory()) {
                continue;
            }
            for (FileEntry f : dir.children()) {
                String n = f.name();
                if (!f.isFile() || n.startsWith("._") || n.equals("fseventsd-uuid")) {
                    continue;
                }
                if (!LOG_NAME.matcher(n).matches()) {
                    diags.add(Diagnostic.info(f.evidencePath().toString(), "FSEvents", -1, "not an FSEvents log name; skipped"));
                    continue;
                }
                try (ByteSource src = f.content()) {
                    if (!FseventsFile.probe(src)) {
                        diags.add(Diagnostic.warning(f.evidencePath().toString(), "FSEvents", 0,
                                "neither gzip nor a DLS page; skipped"));
                        continue;
                    }
                    FseventsFile.Summary s = FseventsFile.read(src, n, f.evidencePath(), limits, diags, sink);
                    out.add(new FileInfo(f.path(), f.times().modified(), s));
                }
            }
        }
        return out;
    }
}
