package io.vestige.format.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vestige.evidence.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectionLayoutTest {
    static CollectionLayout detect(String... members) {
        return CollectionLayout.detect(List.of(members).stream().map(Paths::normalize).toList());
    }

    @Test
    void velociraptorComponentsAreDecoded() {
        // encodings as Velociraptor's utils.SanitizeString produces them: leading '.', ':' and '/' escaped,
        // a '_' appended to names ending in ".db" or "_"
        assertEquals(".hidden", CollectionLayout.unsanitizeVelociraptor("%2Ehidden"));
        assertEquals("C:", CollectionLayout.unsanitizeVelociraptor("C%3A"));
        assertEquals("x.db", CollectionLayout.unsanitizeVelociraptor("x.db_"));
        assertEquals("name_", CollectionLayout.unsanitizeVelociraptor("name__"));
        assertEquals("caf\u00e9", CollectionLayout.unsanitizeVelociraptor("caf%C3%A9"));
        assertEquals("100%", CollectionLayout.unsanitizeVelociraptor("100%"));
        assertEquals("a%zz", CollectionLayout.unsanitizeVelociraptor("a%zz"));
        CollectionLayout l = detect("uploads.json", "uploads/auto/private/tmp/a");
        assertEquals(CollectionLayout.Kind.VELOCIRAPTOR, l.kind());
        assertEquals("/private/tmp/.x", l.map("/uploads/auto/private/tmp/%2Ex").path());
        // encoded "../.." cannot climb out of the root
        assertEquals("/etc/passwd", l.map("/uploads/auto/%2E%2E/%2E%2E/etc/passwd").path());
        assertEquals("/uploads.json", l.map("/uploads.json").path());
        assertEquals(true, l.map("/uploads.json").metadata());
    }

    @Test
    void serverExportNeedsItsMetadata() {
        CollectionLayout l = detect("C.123/collections/F.9/uploads.json", "C.123/collections/F.9/uploads/file/private/x");
        assertEquals(CollectionLayout.Kind.VELOCIRAPTOR, l.kind());
        assertEquals("/private/x", l.map("/C.123/collections/F.9/uploads/file/private/x").path());
        assertEquals(CollectionLayout.Kind.PLAIN, detect("Users/bob/uploads/file/x", "Users/bob/y").kind());
        assertEquals(CollectionLayout.Kind.PLAIN, detect("projects/uploads/file/x", "other/y").kind());
    }

    @Test
    void uacFolderAndPlain() {
        CollectionLayout uac = detect("[root]/private/tmp/x", "uac.log", "bodyfile/bodyfile.txt");
        assertEquals(CollectionLayout.Kind.UAC, uac.kind());
        assertEquals("/private/tmp/x", uac.map("/[root]/private/tmp/x").path());
        assertEquals("/uac.log", uac.map("/uac.log").path());
        CollectionLayout folder = detect("triage/private/var/log/x", "triage/Library/y/z");
        assertEquals(CollectionLayout.Kind.FOLDER, folder.kind());
        assertEquals("/Library/y/z", folder.map("/triage/Library/y/z").path());
        assertEquals(CollectionLayout.Kind.PLAIN, detect("private/tmp/x", "Users/a/b").kind());
        // a single top folder without host roots below it is kept as it is
        assertEquals(CollectionLayout.Kind.PLAIN, detect("MyApp.app/Contents/Info.plist").kind());
    }
}
