package io.vestige.analysis;

import io.vestige.reports.EvidenceItem;
import io.vestige.reports.Finding;
import io.vestige.reports.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The "scope and method" section: what was examined, what was not, and the known limitations. */
final class Scope {
    private Scope() {
    }

    static Report.Scope describe(List<EvidenceItem> items, List<Finding> findings, Traces traces) {
        List<String> examined = new ArrayList<>();
        for (EvidenceItem it : items) {
            for (EvidenceItem.FileSystemInfo fs : it.fileSystems()) {
                examined.add("Temporary locations (/private/tmp, /tmp, /private/var/tmp, /private/var/folders/*/*/T and C) of "
                        + fs.type() + " file system \u201c" + fs.label() + "\u201d in " + it.name());
            }
            if (it.fileSystems().isEmpty() && !"log-export".equals(it.container().get("format"))) {
                examined.add(it.name() + ": container only; no readable file system was found");
            }
        }
        examined.add("Every file of each app bundle found there: MD5, SHA-1 and SHA-256, Mach-O detection, Info.plist, "
                + "offline code-signature verification");
        examined.addAll(traces.examined);
        List<String> notExamined = new ArrayList<>();
        notExamined.add("Locations outside the temporary folders listed above");
        notExamined.add("Contents of files other than those inside the app bundles found");
        List<String> limitations = new ArrayList<>();
        boolean logical = items.stream().anyMatch(i -> List.of("tar", "zip", "dir").contains(String.valueOf(i.container().get("format"))));
        if (logical) {
            limitations.add("Logical collections (tar, zip, folders) hold only what the collection tool copied; "
                    + "absence of a file there is not evidence of its absence on the host");
        }
        limitations.add("Certificate revocation and Apple's online notarization status cannot be checked offline; "
                + "a stapled notarization ticket is reported when present");
        limitations.add("FSEvents records carry no time of their own: each is bounded by its file's modification time");
        limitations.add("File-system times are reported as recorded; they can be altered by software on the host");
        Map<String, Object> counters = new TreeMap<>();
        counters.put("evidenceItems", items.size());
        counters.put("fileSystems", items.stream().mapToInt(i -> i.fileSystems().size()).sum());
        counters.put("findings", findings.size());
        counters.put("bundleFilesHashed", findings.stream().mapToInt(f -> f.files().size()).sum());
        counters.putAll(traces.counters);
        traces.dropped().forEach((k, v) -> counters.put("relevantRecordsNotKept " + k, v));
        counters.put("relevantLogEvents", traces.logs.size());
        counters.put("relevantFseventsRecords", traces.fsevents.size());
        counters.put("uuidtextFilesForTemporaryImages", traces.uuidtext.size());
        counters.put("quarantineEvents", traces.quarantine.size());
        return new Report.Scope(examined, notExamined, limitations, counters);
    }
}
