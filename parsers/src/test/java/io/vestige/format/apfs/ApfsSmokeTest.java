package io.vestige.format.apfs;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApfsSmokeTest {
    @Test
    void smoke() throws Exception {
        for (String f : new String[] {"dfvfs_apfs.raw", "r2_apfs_gpt.img"}) {
            ByteSource src = ByteSources.open(Path.of("/work/shared/corpus/apfs/" + f));
            OpenOptions o = OpenOptions.defaults();
            for (FileSystem fs : new ApfsFormat().open(src, EvidencePath.ofFile(f), o)) {
                System.out.println(fs.label() + " " + fs.info());
                walk(fs.root());
            }
            System.out.println(o.diagnostics().list());
        }
    }

    static void walk(FileEntry e) throws Exception {
        System.out.println(e.kind().typeChar() + " " + e.inode() + " " + e.path() + " " + e.size() + " "
                + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid() + " " + e.times() + " " + e.linkTarget()
                + " " + e.xattrs().stream().map(x -> x.name() + "=" + x.size()).toList() + " " + e.attributes());
        for (FileEntry c : e.children()) {
            walk(c);
        }
    }
}
