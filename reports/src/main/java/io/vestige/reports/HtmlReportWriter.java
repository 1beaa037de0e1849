package io.vestige.reports;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
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
        gg.jte.output.StringOutput output = new gg.jte.output.StringOutput();
        ENGINE.render("report.jte", new HtmlView(report), output);
        out.write(showInvisible(output.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Evidence names can carry bidirectional-override and other invisible format characters that make
     * a name look different from what it is (U+202E turns "exe.gpj" around). The templates never emit
     * them, so every one in the output came from evidence: each is shown as a visible marker such as
     * {@code [U+202E]}. The JSON keeps the exact characters.
     */
    static String showInvisible(String html) {
        StringBuilder sb = null;
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            boolean hidden = (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E'
                    || c == '\u200F' || c == '\u061C' || c == '\u200B' || c == '\uFEFF';
            if (hidden) {
                if (sb == null) {
                    sb = new StringBuilder(html.length() + 16);
                    sb.append(html, 0, i);
                }
                sb.append("[U+").append(String.format("%04X", (int) c)).append(']');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? html : sb.toString();
    }
}
