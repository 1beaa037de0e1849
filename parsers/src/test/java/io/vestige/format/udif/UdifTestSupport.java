package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSources;
import io.vestige.io.ChunkedByteSource;
import io.vestige.io.SequentialReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the UDIF tests: sample media, whole-media reads, and patching a written image's mish. */
final class UdifTestSupport {
    private UdifTestSupport() {
    }

    /** Media of {@code sectors} sectors: text, random (incompressible) and zero regions. */
    static byte[] media(int sectors, long seed) {
        byte[] m = new byte[sectors * 512];
        Random r = new Random(seed);
        for (int i = 0; i < m.length; i++) {
            int region = (i / (1 << 20)) % 4;
            if (region == 0) {
                m[i] = (byte) ("vestige udif fixture ".charAt(i % 21));
            } else if (region == 1) {
                m[i] = (byte) r.nextInt(256);
            } else if (region == 2) {
                m[i] = 0;
            } else {
                m[i] = (byte) (i * 31 >>> 8);
            }
        }
        return m;
    }

    static byte[] readAll(Container c) throws IOException {
        ChunkedByteSource m = (ChunkedByteSource) c.media();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SequentialReader r = new SequentialReader(m, 2, null)) {
            r.transferTo(out);
        }
        return out.toByteArray();
    }

    static byte[] readRandom(Container c) throws IOException {
        byte[] b = new byte[(int) c.media().size()];
        // odd-sized reads across chunk boundaries
        int pos = 0;
        int step = 7777;
        while (pos < b.length) {
            int n = Math.min(step, b.length - pos);
            c.media().readFully(pos, b, pos, n);
            pos += n;
        }
        return b;
    }

    static Container open(byte[] dmg, OpenOptions o) throws IOException {
        EvidenceCandidate c = EvidenceCandidate.of("test.dmg", ByteSources.wrap(dmg, "test.dmg"));
        return new UdifFormat().open(c, o);
    }

    static Container open(Path p, OpenOptions o) throws IOException {
        try (EvidenceCandidate c = EvidenceCandidate.of(p)) {
            return new UdifFormat().open(c, o);
        }
    }

    private static final Pattern DATA = Pattern.compile("<data>(.*?)</data>", Pattern.DOTALL);

    /** Rewrites the {@code index}-th blkx table's mish bytes in place (same length, same base64 layout). */
    static byte[] patchMish(byte[] dmg, int index, Consumer<ByteBuffer> patch) {
        String s = new String(dmg, StandardCharsets.ISO_8859_1);
        Matcher m = DATA.matcher(s);
        for (int i = 0; i <= index; i++) {
            if (!m.find()) {
                throw new IllegalArgumentException("no table " + index);
            }
        }
        String body = m.group(1);
        byte[] mish = Base64.getMimeDecoder().decode(body.trim());
        ByteBuffer bb = ByteBuffer.wrap(mish);
        patch.accept(bb);
        String b64 = Base64.getEncoder().encodeToString(mish);
        // re-lay the base64 over the same whitespace so that every offset stays put
        StringBuilder out = new StringBuilder(body.length());
        int k = 0;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (Character.isWhitespace(ch)) {
                out.append(ch);
            } else {
                out.append(b64.charAt(k++));
            }
        }
        String replaced = s.substring(0, m.start(1)) + out + s.substring(m.end(1));
        return replaced.getBytes(StandardCharsets.ISO_8859_1);
    }
}
