package io.vestige.reports;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@link Report} as one self-contained HTML file (no external CSS, scripts or fonts) from
 * precompiled jte templates. jte's HTML content type escapes every value by its context (element
 * text, attribute value, URL …), so evidence strings containing markup stay inert; no HTML is
 * assembled by string concatenation anywhere.
 */
public final class HtmlReportWriter {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            HtmlReportWriter.class.getClassLoader(), "gg.jte.generated.precompiled");

    public void write(Report report, OutputStream out) throws IOException {
        Utf8ByteOutput output = new Utf8ByteOutput();
        ENGINE.render("report.jte", new HtmlView(report), output);
        output.writeTo(out);
        out.flush();
    }
}
