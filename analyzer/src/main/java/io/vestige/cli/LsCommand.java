package io.vestige.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.io.ParseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vestige ls}: lists the entries of the file systems inside evidence. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List files inside evidence.",
            "Each file system found in EVIDENCE is listed; PATH (default /) is looked up in each.",
            "--json prints one JSON object per entry: fs, path, kind, size, inode, mode, uid, gid, created, modified,"
                + " changed, accessed, added (ISO-8601 UTC, nanoseconds where the format has them), linkTarget.",
            "--bodyfile prints The Sleuth Kit's bodyfile format (MD5|name|inode|mode|uid|gid|size|atime|mtime|ctime|crtime)."})
public final class LsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EVIDENCE", description = "Evidence file or folder.")
    Path evidence;

    @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "Path inside the evidence (default /).")
    String path = "/";

    @Option(names = {"-r", "--recursive"}, description = "List subfolders recursively.")
    boolean recursive;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--bodyfile", description = "TSK bodyfile lines (times in seconds since 1970).")
    boolean bodyfile;

    @Option(names = "--fs", paramLabel = "N", description = "Only the N-th file system (0-based, as numbered by 'vestige info').")
    Integer fs;

    @Option(names = "--cross-check", paramLabel = "ENGINE", description = "After listing, compare the listing, metadata and content hashes with another engine (tsk).")
    String crossCheck;

    @Mixin
    OpenMixin open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json && bodyfile) {
            throw new IllegalArgumentException("choose one of --json and --bodyfile");
        }
        try (OpenedEvidence ev = open.opener().open(evidence)) {
            List<EvidenceArg.Hit> hits = EvidenceArg.lookup(ev, path, fs);
            if (hits.isEmpty()) {
                if (ev.fileSystems().isEmpty()) {
                    throw new ParseException("evidence", -1, "no readable file system in " + evidence
                            + "; 'vestige info' shows what was recognised");
                }
                throw new java.nio.file.NoSuchFileException(path, null, "not found in any file system of " + evidence);
            }
            ObjectWriter w = Cli.json().writer();
            boolean multi = ev.fileSystems().size() > 1;
            for (EvidenceArg.Hit h : hits) {
                Deque<FileEntry> stack = new ArrayDeque<>();
                List<FileEntry> first = h.entry().isDirectory() ? h.entry().children() : List.of(h.entry());
                pushReversed(stack, first);
                long count = 0;
                while (!stack.isEmpty()) {
                    FileEntry e = stack.pop();
                    if (++count > 100_000_000L) {
                        throw new ParseException("ls", -1, "more than 100,000,000 entries; stopping");
                    }
                    if (json) {
                        out.println(w.writeValueAsString(jsonEntry(h.fsIndex(), e)));
                    } else if (bodyfile) {
                        out.println(bodyLine(e, multi ? h.fs().label() : null));
                    } else {
                        out.println(textLine(e, multi ? h.fsIndex() + ":" : ""));
                    }
                    if (recursive && e.kind() == EntryKind.DIRECTORY) {
                        pushReversed(stack, e.children());
                    }
                }
            }
            out.flush();
            boolean errors = false;
            for (io.vestige.io.Diagnostic d : ev.diagnostics()) {
                if (d.severity() != io.vestige.io.Diagnostic.Severity.INFO) {
                    spec.commandLine().getErr().println("vestige: " + d);
                    errors |= d.severity() == io.vestige.io.Diagnostic.Severity.ERROR;
                }
            }
            for (var f : ev.fileSystems()) {
                for (io.vestige.io.Diagnostic d : f.diagnostics()) {
                    spec.commandLine().getErr().println("vestige: " + d);
                    errors |= d.severity() == io.vestige.io.Diagnostic.Severity.ERROR;
                }
            }
            spec.commandLine().getErr().flush();
            if (errors && open.strict) {
                return ExitCodes.DATA_ERROR;
            }
        }
        if (crossCheck != null) {
            if (!crossCheck.equals("tsk")) {
                throw new IllegalArgumentException("--cross-check takes tsk, not " + crossCheck);
            }
            CrossCheckCommand.Outcome oc = CrossCheckCommand.compare(evidence, open.options(),
                    io.vestige.format.tsk.CrossCheck.Options.defaults(), spec.commandLine().getErr());
            for (String n : oc.notes()) {
                spec.commandLine().getErr().println(n);
            }
            spec.commandLine().getErr().flush();
            return !oc.anyCompared() ? ExitCodes.NOT_DETERMINABLE : oc.anyUnexplained() ? ExitCodes.NEGATIVE : ExitCodes.OK;
        }
        return ExitCodes.OK;
    }

    private static void pushReversed(Deque<FileEntry> stack, List<FileEntry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            stack.push(entries.get(i));
        }
    }

    static Map<String, Object> jsonEntry(int fsIndex, FileEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fs", fsIndex);
        m.put("path", e.path());
        m.put("kind", e.kind().label());
        m.put("size", e.size());
        m.put("inode", e.inode() >= 0 ? e.inode() : null);
        m.put("mode", e.mode() >= 0 ? e.mode() : null);
        m.put("modeString", e.mode() >= 0 ? modeString(e.kind(), e.mode()) : null);
        m.put("uid", e.uid() >= 0 ? e.uid() : null);
        m.put("gid", e.gid() >= 0 ? e.gid() : null);
        FileTimes t = e.times() == null ? FileTimes.NONE : e.times();
        m.put("created", iso(t.created()));
        m.put("modified", iso(t.modified()));
        m.put("changed", iso(t.changed()));
        m.put("accessed", iso(t.accessed()));
        m.put("added", iso(t.added()));
        if (e.linkTarget() != null) {
            m.put("linkTarget", e.linkTarget());
        }
        m.put("evidencePath", e.evidencePath().toString());
        return m;
    }

    static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    static String textLine(FileEntry e, String prefix) {
        FileTimes t = e.times() == null ? FileTimes.NONE : e.times();
        String mode = e.mode() >= 0 ? modeString(e.kind(), e.mode()) : e.kind().typeChar() + "?????????";
        String link = e.linkTarget() != null ? " -> " + e.linkTarget() : "";
        return String.format("%s %10d %-30s %s%s%s", mode, e.size(), t.modified() == null ? "-" : t.modified().toString(),
                prefix, e.path(), link);
    }

    /** TSK 3.x bodyfile: MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime. */
    static String bodyLine(FileEntry e, String fsLabel) {
        FileTimes t = e.times() == null ? FileTimes.NONE : e.times();
        String name = (fsLabel == null ? "" : fsLabel) + e.path();
        if (e.linkTarget() != null && e.kind() == EntryKind.SYMLINK) {
            name += " -> " + e.linkTarget();
        }
        return io.vestige.reports.Bodyfile.line(null, name, e.inode(), tskMode(e), e.uid(), e.gid(), e.size(), t.accessed(),
                t.modified(), t.changed(), t.created(), false);
    }

    /** TSK's bodyfile mode column: name type, '/', meta type and permissions, e.g. {@code r/rrwxr-xr-x}. */
    static String tskMode(FileEntry e) {
        char t = e.kind().typeChar();
        String perms = e.mode() >= 0 ? modeString(e.kind(), e.mode()).substring(1) : "---------";
        return t + "/" + t + perms;
    }

    static String secs(Instant i) {
        return i == null ? "0" : Long.toString(i.getEpochSecond());
    }

    /** {@code -rwxr-xr-x} style, with setuid/setgid/sticky. */
    static String modeString(EntryKind kind, int mode) {
        char[] c = new char[10];
        c[0] = kind == EntryKind.FILE || kind == EntryKind.HARDLINK ? '-' : kind.typeChar();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
        }
        if ((mode & 04000) != 0) {
            c[3] = c[3] == 'x' ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            c[6] = c[6] == 'x' ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            c[9] = c[9] == 'x' ? 't' : 'T';
        }
        return new String(c);
    }

    static List<FileEntry> list(FileEntry e) throws java.io.IOException {
        return new ArrayList<>(e.children());
    }
}
