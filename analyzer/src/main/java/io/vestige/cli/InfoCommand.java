package io.vestige.cli;

import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenedEvidence;
import io.vestige.evidence.Partition;
import io.vestige.io.Diagnostic;
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

/** {@code vestige info}: what the evidence is, what it says about itself, and what lies inside. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show container metadata, stored hashes, segments, partitions and file systems of evidence.",
            "--json gives: container {format, mediaSize, sectorSize, segments, storedHashes, metadata, details},"
                + " partitions [{index, scheme, type, typeName, name, offset, length}], fileSystems [{index, type, label,"
                + " evidencePath, info}], diagnostics."})
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EVIDENCE")
    Path evidence;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Mixin
    OpenMixin open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (OpenedEvidence ev = open.opener().open(evidence)) {
            Map<String, Object> doc = describe(ev);
            if (json) {
                out.println(Cli.json().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            } else {
                printText(out, ev);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> describe(OpenedEvidence ev) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("evidence", ev.name());
        ContainerInfo ci = ev.container().info();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("format", ci.format());
        c.put("mediaSize", ci.mediaSize() >= 0 ? ci.mediaSize() : null);
        c.put("sectorSize", ci.sectorSize() > 0 ? ci.sectorSize() : null);
        c.put("segments", ci.segments());
        c.put("storedHashes", ci.storedHashes());
        c.put("metadata", ci.metadata());
        c.put("details", ci.details());
        doc.put("container", c);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (OpenedEvidence.Layout l : ev.layouts()) {
            for (Partition p : l.volumeSystem().partitions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", p.index());
                m.put("scheme", p.scheme());
                m.put("type", p.type());
                m.put("typeName", p.typeName());
                m.put("name", p.name());
                m.put("offset", p.offset());
                m.put("length", p.length());
                m.put("evidencePath", p.evidencePath().toString());
                m.put("attributes", p.attributes());
                parts.add(m);
            }
        }
        doc.put("partitions", parts);
        List<Map<String, Object>> fss = new ArrayList<>();
        int i = 0;
        for (FileSystem fs : ev.fileSystems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", i++);
            m.put("type", fs.type());
            m.put("label", fs.label());
            m.put("evidencePath", fs.evidencePath().toString());
            m.put("info", fs.info());
            fss.add(m);
        }
        doc.put("fileSystems", fss);
        List<String> diags = new ArrayList<>();
        for (Diagnostic d : ev.diagnostics()) {
            diags.add(d.toString());
        }
        doc.put("diagnostics", diags);
        return doc;
    }

    private static void printText(PrintWriter out, OpenedEvidence ev) {
        ContainerInfo ci = ev.container().info();
        out.println("Evidence:     " + ev.name());
        out.println("Format:       " + ci.format());
        if (ci.mediaSize() >= 0) {
            out.println("Media size:   " + ci.mediaSize() + " bytes" + (ci.sectorSize() > 0 ? " (" + ci.sectorSize() + "-byte sectors)" : ""));
        }
        out.println("Segments:     " + String.join(", ", ci.segments()));
        ci.storedHashes().forEach((k, v) -> out.println("Stored " + String.format("%-6s", k + ":") + v));
        ci.metadata().forEach((k, v) -> out.println(String.format("  %-20s %s", k + ":", v)));
        ci.details().forEach((k, v) -> out.println(String.format("  %-20s %s", k + ":", v)));
        for (OpenedEvidence.Layout l : ev.layouts()) {
            out.println("Partition map " + l.volumeSystem().type() + " at " + l.at() + " (block size " + l.volumeSystem().blockSize() + ")");
            for (Partition p : l.volumeSystem().partitions()) {
                out.println(String.format("  #%-3d %-28s %-20s offset %d length %d", p.index(), p.typeName(), p.name(), p.offset(), p.length()));
            }
        }
        int i = 0;
        for (FileSystem fs : ev.fileSystems()) {
            out.println("File system " + i++ + ": " + fs.type() + " \u201c" + fs.label() + "\u201d  " + fs.evidencePath());
            fs.info().forEach((k, v) -> out.println(String.format("  %-20s %s", k + ":", v)));
        }
        for (Diagnostic d : ev.diagnostics()) {
            out.println("Diagnostic: " + d);
        }
    }
}
