package io.vestige.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * One unit of batch work: an evidence item (possibly several files: an E01 set, a DMG with its
 * parts) with the case facts a manifest may give.
 *
 * @param id           stable, file-name-safe identifier (unique in the batch)
 * @param evidence     the paths to pass to {@code analyze} (first segment only for sets)
 * @param files        every file that makes up the item, for change detection
 * @param passwordFile password file for encrypted items, or null
 */
public record BatchItem(String id, List<Path> evidence, List<Path> files, String caseNumber, String examiner,
                        String notes, Path passwordFile) {
    public BatchItem {
        evidence = List.copyOf(evidence);
        files = List.copyOf(files);
    }
}
