package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.testing.Corpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("corpus")
class Tracev3CorpusTest {
    @Test
    void explore() throws Exception {
        for (String dir : List.of("unified-logs/dtformats", "unified-logs/plaso_AUL")) {
            DirectoryFileSystem fs = DirectoryFileSystem.of(Corpus.file(dir));
            String diag = dir.endsWith("plaso_AUL") ? "/private/var/db/diagnostics" : "/";
            String uuid = dir.endsWith("plaso_AUL") ? "/private/var/db/uuidtext" : "/uuidtext";
            try (UnifiedLogStore st = UnifiedLogStore.open(fs, diag, uuid)) {
                Diagnostics d = new Diagnostics();
                List<LogEvent> ev = new ArrayList<>();
                DecodeStats s = st.read(ev::add, d);
                System.out.println(s.summary());
                d.list().stream().limit(20).forEach(System.out::println);
                ev.stream().limit(8).forEach(System.out::println);
                ev.stream().skip(Math.max(0, ev.size() - 3)).forEach(System.out::println);
            }
        }
    }
}
