package io.vestige.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@link Report} as JSON: properties in alphabetical order, map keys sorted, two-space
 * indentation, LF line ends, a final newline — the same report always gives the same bytes.
 */
public final class JsonReportWriter {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    /** The mapper used for every JSON output of Vestige (deterministic settings). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public void write(Report report, OutputStream out) throws IOException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        MAPPER.writer(pp).writeValue(out, report);
        out.write('\n');
        out.flush();
    }
}
