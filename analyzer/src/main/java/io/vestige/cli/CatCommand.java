package io.vestige.cli;

import io.vestige.evidence.OpenedEvidence;
import io.vestige.io.ByteSource;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vestige cat}: writes a file's content from inside evidence to stdout. */
@Command(name = "cat", mixinStandardHelpOptions = true,
        description = {"Write the content of a file inside evidence to standard output.",
            "With several file systems holding PATH, use --fs N (see 'vestige info')."})
public final class CatCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EVIDENCE")
    Path evidence;

    @Parameters(index = "1", paramLabel = "PATH")
    String path;

    @Option(names = "--fs", paramLabel = "N", description = "Read from the N-th file system (0-based).")
    Integer fs;

    @Option(names = "--xattr", paramLabel = "NAME", description = "Write the named extended attribute instead of the content.")
    String xattr;

    @Mixin
    OpenMixin open;

    /** Where bytes go; tests replace it. */
    OutputStream out = System.out;

    @Override
    public Integer call() throws Exception {
        try (OpenedEvidence ev = open.opener().open(evidence)) {
            List<EvidenceArg.Hit> hits = EvidenceArg.lookup(ev, path, fs);
            if (hits.isEmpty()) {
                throw new java.nio.file.NoSuchFileException(path, null, "not found in any file system of " + evidence);
            }
            if (hits.size() > 1) {
                throw new IllegalArgumentException(path + " exists in " + hits.size()
                        + " file systems; choose one with --fs N (0-based, see 'vestige info')");
            }
            EvidenceArg.Hit h = hits.get(0);
            ByteSource src = null;
            if (xattr != null) {
                for (var x : h.entry().xattrs()) {
                    if (x.name().equals(xattr)) {
                        src = x.content();
                    }
                }
                if (src == null) {
                    throw new java.nio.file.NoSuchFileException(path, null, "no extended attribute " + xattr);
                }
            } else {
                if (h.entry().isDirectory()) {
                    throw new IllegalArgumentException(path + " is a folder; use 'vestige ls'");
                }
                if (h.entry().kind() == io.vestige.evidence.EntryKind.SYMLINK) {
                    throw new IllegalArgumentException(path + " is a symbolic link to '" + h.entry().linkTarget()
                            + "'; cat the target's path instead");
                }
                src = h.entry().content();
            }
            try (ByteSource s = src) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                long pos = 0;
                while (pos < s.size()) {
                    buf.clear();
                    int n = s.read(pos, buf);
                    if (n <= 0) {
                        break;
                    }
                    out.write(buf.array(), 0, n);
                    pos += n;
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
