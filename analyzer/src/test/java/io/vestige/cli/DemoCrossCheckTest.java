package io.vestige.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.scenario.DemoImage;
import io.vestige.format.tsk.TskLibrary;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo E01 read by Vestige's own EWF, GPT and APFS readers and by The Sleuth Kit agree entry by entry. */
class DemoCrossCheckTest {
    @Test
    void demoImageAgreesWithTheSleuthKit(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(TskLibrary.isAvailable(null), "libtsk not found; install Debian package libtsk19 to run this test");
        DemoImage.Written w = DemoImage.write(tmp.resolve("ev"));
        CliTestSupport.Run r = CliTestSupport.run("crosscheck", w.e01().get(0).toString());
        assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("two independent implementations agree on") && r.out().contains("differences: none"), r.out());
    }
}
