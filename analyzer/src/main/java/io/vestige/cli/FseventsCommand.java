package io.vestige.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vestige.evidence.EvidenceOpener;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.ProbeRegistry;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.format.fsevents.FseventsFile;
import io.vestige.format.fsevents.FseventsFlags;
import io.vestige.format.fsevents.FseventsStore;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vestige fsevents EVIDENCE}: prints the records of the {@code .fseventsd} logs in evidence
 * (or of one FSEvents file, or a folder holding {@code .fseventsd}), with flag names, event and node
 * ids and the file each came from (whose modification time bounds the record's time).
 */
@Command(name = "fsevents", mixinStandardHelpOptions = true,
        description = "Print FSEvents records from evidence, a folder with .fseventsd, or one FSEvents file.")
public final class FseventsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EVIDENCE")
    Path evidence;

    @Option(names = "--json", description = "one JSON object per record")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(evidence)) {
            throw new NoSuchFileException(evidence.toString());
        }
        JsonGenerator gen = null;
        if (json) {
            gen = Cli.json().getFactory().createGenerator(out);
            gen.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        }
        final JsonGenerator g = gen;
        long[] n = new long[1];
        FseventsFile.Sink sink = r -> {
            n[0]++;
            if (g != null) {
                g.writeStartObject();
                g.writeStringField("path", r.path());
                g.writeNumberField("eventId", r.eventId());
                g.writeStringField("flags", String.format("0x%08x", r.flags()));
                g.writeArrayFieldStart("flagNames");
                for (String f : r.flagNames()) {
                    g.writeString(f);
                }
                g.writeEndArray();
                if (r.nodeId() != null) {
                    g.writeNumberField("nodeId", r.nodeId());
                }
                g.writeNumberField("version", r.version());
                g.writeStringField("file", r.fileName());
                g.writeStringField("source", r.source().toString());
                g.writeEndObject();
            } else {
                out.println(String.format("%016x %-40s %s%s  [%s]", r.eventId(), FseventsFlags.describe(r.flags()),
                        r.path().isEmpty() ? "/" : r.path(), r.nodeId() == null ? "" : "  node " + r.nodeId(), r.fileName()));
            }
        };
        Diagnostics diags = new Diagnostics();
        List<FseventsStore.FileInfo> files = new ArrayList<>();
        if (Files.isRegularFile(evidence)) {
            boolean fse;
            try (ByteSource b = ByteSources.open(evidence)) {
                fse = FseventsFile.probeContent(b);
                if (fse) {
                    String name = evidence.getFileName().toString();
                    FseventsFile.Summary s = FseventsFile.read(b, name, EvidencePath.ofFile(name), ParseLimits.defaults(), diags, sink);
                    files.add(new FseventsStore.FileInfo(evidence.toString(), Files.getLastModifiedTime(evidence).toInstant(), s));
                }
            }
            if (!fse) {
                files.addAll(fromEvidence(evidence, diags, sink));
            }
        } else {
            files.addAll(FseventsStore.read(DirectoryFileSystem.of(evidence), ParseLimits.defaults(), diags, sink));
            if (files.isEmpty()) {
                files.addAll(fromEvidence(evidence, diags, sink));
            }
        }
        if (g != null) {
            g.flush();
            out.println();
        }
        out.flush();
        for (FseventsStore.FileInfo f : files) {
            FseventsFile.Summary s = f.summary();
            err.println("vestige fsevents: " + f.path() + ": " + s.records() + " records in " + s.pages() + " pages"
                    + (s.firstEventId() == null ? "" : String.format(", ids %x..%x", s.firstEventId(), s.lastEventId()))
                    + (f.modified() == null ? "" : ", file modified " + f.modified()) + (s.complete() ? "" : ", INCOMPLETE"));
        }
        for (Diagnostic d : diags.list()) {
            err.println("vestige fsevents: " + d);
        }
        err.println("vestige fsevents: " + n[0] + " records from " + files.size() + " files");
        err.flush();
        return ExitCodes.OK;
    }

    private static List<FseventsStore.FileInfo> fromEvidence(Path p, Diagnostics diags, FseventsFile.Sink sink) throws IOException {
        List<FseventsStore.FileInfo> out = new ArrayList<>();
        try (OpenedEvidence ev = new EvidenceOpener(ProbeRegistry.standard(), OpenOptions.defaults()).open(p)) {
            for (FileSystem fs : ev.fileSystems()) {
                out.addAll(FseventsStore.read(fs, ParseLimits.defaults(), diags, sink));
            }
        }
        if (out.isEmpty()) {
            throw new ParseException("fsevents", -1, "no .fseventsd folder or FSEvents file in " + p);
        }
        return out;
    }
}
