package io.vestige.cli;

import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.format.tsk.CrossCheck;
import io.vestige.format.tsk.TskFileSystem;
import io.vestige.format.tsk.TskFormat;
import io.vestige.format.tsk.TskLibrary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vestige crosscheck}: opens the evidence twice, with Vestige's own readers and with The
 * Sleuth Kit, and compares every file system entry by entry ({@link CrossCheck}). Exit code 0 when
 * the only differences are known TSK limitations, 1 when some are unexplained, 2 when there was
 * nothing to compare (no file system read by both engines).
 */
@Command(name = "crosscheck", mixinStandardHelpOptions = true,
        description = {"Compare Vestige's file-system readers with The Sleuth Kit, entry by entry.",
            "Each file system is read by both engines; path, inode, kind, size, mode, uid, gid, the four times,",
            "symlink target and the MD5 of regular files are compared. Differences that are documented TSK",
            "limitations are labelled as known. Needs libtsk (Debian package libtsk19, Homebrew sleuthkit).",
            "Exit code: 0 agree (known differences only), 1 unexplained differences, 2 nothing to compare."})
public final class CrossCheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EVIDENCE", description = "Evidence file or folder.")
    Path evidence;

    @Option(names = "--json", description = "Print the results as one JSON document.")
    boolean json;


    @Option(names = "--no-content", description = "Do not hash file contents (faster).")
    boolean noContent;

    @Mixin
    OpenMixin open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OpenOptions options = open.options();
        TskLibrary lib = TskLibrary.load(options);
        CrossCheck.Options cco = CrossCheck.Options.defaults();
        if (noContent) {
            java.util.EnumSet<CrossCheck.Field> f = java.util.EnumSet.allOf(CrossCheck.Field.class);
            f.remove(CrossCheck.Field.MD5);
            cco = cco.withFields(f);
        }
        Outcome oc = compare(evidence, options, cco, json ? null : out);
        List<Map<String, Object>> results = oc.results();
        List<String> notes = oc.notes();
        boolean anyCompared = oc.anyCompared();
        boolean anyUnexplained = oc.anyUnexplained();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("evidence", String.valueOf(evidence.getFileName()));
            doc.put("libtsk", lib.version());
            doc.put("results", results);
            doc.put("notes", notes);
            out.println(Cli.json().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            for (String n : notes) {
                out.println(n);
            }
        }
        out.flush();
        if (!anyCompared) {
            return ExitCodes.NOT_DETERMINABLE;
        }
        return anyUnexplained ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }


    /** The outcome of cross-checking one evidence item. */
    public record Outcome(String libtsk, List<Map<String, Object>> results, List<String> notes, boolean anyCompared,
                          boolean anyUnexplained, List<String> summaries) {
    }

    /**
     * Opens the evidence once with the native readers and once TSK-first, pairs file systems by type
     * and label, and compares them entry by entry. Prints each difference to {@code out} when given.
     */
    public static Outcome compare(Path evidence, OpenOptions options, CrossCheck.Options cco, PrintWriter out) throws java.io.IOException {
        TskLibrary lib = TskLibrary.load(options);
        List<String> summaries = new ArrayList<>();
        ProbeRegistry nativeRegistry = ProbeRegistry.standard();
        ProbeRegistry tskRegistry = TskFormat.preferringTsk(nativeRegistry, options);
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean anyCompared = false;
        boolean anyUnexplained = false;
        try (OpenedEvidence mine = new EvidenceOpener(nativeRegistry, options).open(evidence);
             OpenedEvidence theirs = new EvidenceOpener(tskRegistry, options).open(evidence)) {
            List<FileSystem> tskSide = new ArrayList<>();
            for (FileSystem fs : theirs.fileSystems()) {
                if (fs instanceof TskFileSystem) {
                    tskSide.add(fs);
                }
            }
            List<FileSystem> used = new ArrayList<>();
            for (int i = 0; i < mine.fileSystems().size(); i++) {
                FileSystem v = mine.fileSystems().get(i);
                if (v instanceof TskFileSystem) {
                    notes.add("fs " + i + " (" + v.type() + " \"" + v.label() + "\"): Vestige has no native reader for "
                            + v.type() + "; read by TSK only, nothing to compare");
                    continue;
                }
                FileSystem t = pair(v, tskSide, used);
                if (t == null) {
                    notes.add("fs " + i + " (" + v.type() + " \"" + v.label() + "\"): TSK " + lib.version()
                            + " does not read it; nothing to compare");
                    continue;
                }
                used.add(t);
                CrossCheck.Result r = CrossCheck.compare(v, t, cco);
                anyCompared = true;
                anyUnexplained |= !r.consistent();
                summaries.add("fs " + i + " " + v.type() + " \"" + v.label() + "\" vs TSK " + lib.version() + ": " + r.summary());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("fs", i);
                m.put("evidencePath", v.evidencePath().toString());
                m.putAll(r.toMap());
                results.add(m);
                if (out != null) {
                    out.println("fs " + i + " " + v.type() + " \"" + v.label() + "\" vs TSK " + lib.version() + ": "
                            + r.summary());
                    for (CrossCheck.Difference d : r.differences()) {
                        out.println("  " + d);
                    }
                }
            }
        }
        if (results.isEmpty() && notes.isEmpty()) {
            notes.add("no file system was recognised in " + evidence.getFileName() + "; nothing to compare ('vestige info' shows what was found)");
        }
        return new Outcome(lib.version(), results, notes, anyCompared, anyUnexplained, summaries);
    }

    /** The TSK file system for a native one: same type and label first, then the first unused of the same type. */
    private static FileSystem pair(FileSystem v, List<FileSystem> tsk, List<FileSystem> used) {
        for (FileSystem t : tsk) {
            if (!used.contains(t) && t.type().equals(v.type()) && t.label().equals(v.label())) {
                return t;
            }
        }
        for (FileSystem t : tsk) {
            if (!used.contains(t) && t.type().equals(v.type())) {
                return t;
            }
        }
        return null;
    }
}
