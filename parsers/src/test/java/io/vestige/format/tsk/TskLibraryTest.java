package io.vestige.format.tsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading libtsk: version gate, clear messages, and the TSK_IMG_INFO layout checked by behaviour. */
class TskLibraryTest {

    @Test
    void parsesVersions() {
        assertEquals(411, TskLibrary.parseVersion("4.11.1"));
        assertEquals(412, TskLibrary.parseVersion("4.12.0"));
        assertEquals(413, TskLibrary.parseVersion("4.13.0\n"));
        assertEquals(-1, TskLibrary.parseVersion("unknown"));
        assertEquals(-1, TskLibrary.parseVersion(null));
    }

    @Test
    void missingLibraryNamesThePackageToInstall(@TempDir Path tmp) {
        TskUnavailableException e = assertThrows(TskUnavailableException.class,
                () -> TskLibrary.load(tmp.resolve("no-such-libtsk.so").toString()));
        assertTrue(e.getMessage().contains("libtsk19"), e.getMessage());
        assertTrue(e.getMessage().contains("--tsk-lib"), e.getMessage());
    }

    @Test
    void aLibraryThatIsNotTskIsRefused() {
        // libc is present everywhere this test runs and exports none of TSK's functions
        TskUnavailableException e = assertThrows(TskUnavailableException.class, () -> TskLibrary.load("libc.so.6"));
        assertTrue(e.getMessage().contains("lacks"), e.getMessage());
        assertTrue(e.getMessage().contains("libtsk19"), e.getMessage());
    }

    @Test
    void absentLibraryMakesTheProbeSayNo() throws Exception {
        TskFormat f = new TskFormat("/nonexistent/libtsk.so.19");
        assertEquals(false, f.probe(ByteSources.wrap(new byte[4096])));
    }

    @Test
    void loadsAVerifiedVersionOnce() throws Exception {
        TskLibrary lib = TskAssume.library();
        int v = TskLibrary.parseVersion(lib.version());
        assertTrue(v >= TskLibrary.MIN_VERSION && v <= TskLibrary.MAX_VERSION, lib.version());
        assertSame(lib, TskLibrary.load(OpenOptions.defaults()));
        TskLibrary named = TskLibrary.load(OpenOptions.defaults().with("tsk.lib", lib.loadedFrom()));
        assertEquals(lib.version(), named.version());
    }

    @Test
    void externalImageHeaderIsWhereTheHeadersSay() throws Exception {
        TskLibrary lib = TskAssume.library();
        // Debian's libtsk19 is built multi-threaded: tsk_lock_t is a 40-byte pthread_mutex_t
        assertEquals(TskImgInfo.OFF_READ_PTHREAD, lib.imgInfoReadOffset());
        byte[] data = new byte[3 * 512 + 100];
        try (TskImage img = lib.openImage(ByteSources.wrap(data))) {
            TskImgInfo info = img.info();
            assertEquals(TskImgInfo.TAG, info.tag());
            assertEquals(TskImgInfo.TYPE_EXTERNAL, info.itype());
            assertEquals(data.length, info.size());
            assertEquals(512, info.sectorSize());
            assertEquals(data.length, img.size());
        }
    }
}
