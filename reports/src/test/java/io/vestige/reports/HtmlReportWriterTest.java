package io.vestige.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlReportWriterTest {
    @Test
    void bidiOverridesFromEvidenceBecomeVisibleMarkers() {
        assertEquals("<td>invoice[U+202E]fdp.app</td>", HtmlReportWriter.showInvisible("<td>invoice\u202Efdp.app</td>"));
        assertEquals("a[U+2066]b[U+200B]c", HtmlReportWriter.showInvisible("a\u2066b\u200Bc"));
        String plain = "<p>nothing hidden \u00e9\u4e2d</p>";
        assertEquals(plain, HtmlReportWriter.showInvisible(plain));
    }
}
