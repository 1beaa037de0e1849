package io.vestige.codesign;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vestige.format.dir.DirectoryFileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("corpus")
class CorpusDumpTest {
    @Test
    void dump() throws Exception {
        var m = JsonMapper.builder().findAndAddModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT).build();
        String which = System.getProperty("dump", "apple-signed/ls-sequoia.fat");
        Path p = Corpus.file("macho-signed/" + which);
        CodeSignResult r;
        if (Files.isDirectory(p)) {
            r = CodeSignatureVerifier.verifyBundle(DirectoryFileSystem.of(p).root(), VerifyOptions.defaults());
        } else {
            try (ByteSource s = ByteSources.open(p)) {
                r = CodeSignatureVerifier.verifyFile(s, VerifyOptions.defaults());
            }
        }
        System.out.println(m.writeValueAsString(r));
    }
}
