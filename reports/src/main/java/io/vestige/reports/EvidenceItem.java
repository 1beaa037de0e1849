package io.vestige.reports;

import java.util.List;
import java.util.Map;

/**
 * One evidence item as examined: the files it consists of with their hashes, what the container
 * says about itself, stored versus computed media hashes, the partitions and file systems found.
 */
public record EvidenceItem(String name, List<EvidenceFile> files, Map<String, Object> container,
                           List<Map<String, Object>> partitions, List<FileSystemInfo> fileSystems,
                           MediaHashes mediaHashes, List<String> diagnostics) {
    public EvidenceItem {
        files = List.copyOf(files);
        container = Maps.sorted(container);
        partitions = List.copyOf(partitions);
        fileSystems = List.copyOf(fileSystems);
        diagnostics = List.copyOf(diagnostics);
    }

    /** A file of the evidence item as it lies on the examiner's disk. */
    public record EvidenceFile(String name, long size, String sha256) {
    }

    public record FileSystemInfo(String type, String label, String evidencePath, Map<String, Object> info) {
        public FileSystemInfo {
            info = Maps.sorted(info);
        }
    }

    /** Media hashes computed during analysis against those stored by the acquisition tool; null when not computed. */
    public record MediaHashes(Map<String, String> computed, Map<String, String> stored, Boolean match) {
        public MediaHashes {
            computed = Maps.sortedStrings(computed);
            stored = Maps.sortedStrings(stored);
        }
    }
}
