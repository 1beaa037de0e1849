package io.vestige.format.fsevents;

import io.vestige.evidence.EvidencePath;
import java.util.List;

/**
 * One record of an FSEvents disk-log-stream page (FORMATS §7). Records carry no time: the file
 * they come from ({@code fileName}, whose hex name is the highest event id + 1, and its
 * modification time) bounds when they happened.
 *
 * <table>
 * <caption>Record layout (LE)</caption>
 * <tr><th>offset</th><th>field</th><th>versions</th></tr>
 * <tr><td>0</td><td>path, NUL-terminated, volume-relative</td><td>all</td></tr>
 * <tr><td>n</td><td>u64 event id</td><td>all</td></tr>
 * <tr><td>n+8</td><td>u32 flags</td><td>all</td></tr>
 * <tr><td>n+12</td><td>u64 node id (file id)</td><td>DLS2, DLS3</td></tr>
 * <tr><td>n+20</td><td>u32 extra (observed 0)</td><td>DLS3</td></tr>
 * </table>
 *
 * @param version    1, 2 or 3 (page signature {@code 1SLD}, {@code 2SLD}, {@code 3SLD})
 * @param nodeId     the node id, {@code null} for DLS1
 * @param extra      the DLS3 trailing value, {@code null} before DLS3
 * @param page       index of the page in the file (0-based)
 * @param offset     offset of the record in the decompressed stream
 * @param source     the file and offset the record was read from
 */
public record FseventsRecord(String path, long eventId, int flags, Long nodeId, Long extra, int version,
                             String fileName, int page, long offset, EvidencePath source) {

    public List<String> flagNames() {
        return FseventsFlags.names(flags);
    }
}
