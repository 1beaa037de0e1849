package io.vestige.reports;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a batch's {@code index.html}: one self-contained page linking every item's report. */
public final class BatchIndexWriter {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            BatchIndexWriter.class.getClassLoader(), "gg.jte.generated.precompiled");

    public void write(BatchSummary summary, OutputStream out) throws IOException {
        Utf8ByteOutput output = new Utf8ByteOutput();
        ENGINE.render("batch.jte", summary, output);
        output.writeTo(out);
        out.flush();
    }
}
