package io.vestige.codesign;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A minimal, private reader for XML property lists (CodeResources, Info.plist, entitlements, the
 * CMS cdhash attribute). StAX with DTD processing and external entities switched off: the
 * {@code <!DOCTYPE plist …>} line is skipped, never fetched, and entity tricks fail. Values map to
 * {@code Map<String,Object>} (insertion order), {@code List}, {@code String}, {@code byte[]},
 * {@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code Instant}. Binary plists
 * ({@code bplist00}) go to {@link PlistBinary}. To be replaced by the shared {@code io.vestige.format.plist}.
 */
final class PlistXml {
    private static final int MAX_DEPTH = 64;
    // factories are configured once per thread: the JDK does not promise thread-safe reuse
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(PlistXml::factory);

    private PlistXml() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        return f;
    }

    static boolean isBinary(byte[] b) {
        return b.length >= 8 && new String(b, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("bplist00");
    }

    /** Parses an XML plist; {@code what} names it in errors. */
    static Object parse(byte[] xml, String what) throws ParseException {
        if (isBinary(xml)) {
            return PlistBinary.parse(xml, what);
        }
        XMLStreamReader r = null;
        try {
            r = FACTORY.get().createXMLStreamReader(new ByteArrayInputStream(xml));
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (r.getLocalName().equals("plist")) {
                        continue;
                    }
                    return value(r, what, 0);
                }
            }
            throw new MalformedException(what, 0, "no value in property list");
        } catch (XMLStreamException | RuntimeException e) {
            throw new MalformedException(what, 0, "not a well-formed XML property list: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** Reads the value whose start element the reader is on, leaving it after the end element. */
    private static Object value(XMLStreamReader r, String what, int depth) throws XMLStreamException, ParseException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException(what, 0, "property list nested deeper than " + MAX_DEPTH);
        }
        String tag = r.getLocalName();
        switch (tag) {
            case "dict": {
                Map<String, Object> m = new LinkedHashMap<>();
                String key = null;
                while (true) {
                    int ev = r.next();
                    if (ev == XMLStreamConstants.END_ELEMENT) {
                        return m;
                    }
                    if (ev != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if (r.getLocalName().equals("key")) {
                        key = r.getElementText();
                    } else {
                        if (key == null) {
                            throw new MalformedException(what, 0, "dict value without a key");
                        }
                        m.put(key, value(r, what, depth + 1));
                        key = null;
                    }
                }
            }
            case "array": {
                List<Object> l = new ArrayList<>();
                while (true) {
                    int ev = r.next();
                    if (ev == XMLStreamConstants.END_ELEMENT) {
                        return l;
                    }
                    if (ev == XMLStreamConstants.START_ELEMENT) {
                        l.add(value(r, what, depth + 1));
                    }
                }
            }
            case "string":
                return r.getElementText();
            case "data":
                return Base64.getMimeDecoder().decode(r.getElementText().replaceAll("\\s", ""));
            case "integer": {
                String t = r.getElementText().trim();
                BigInteger b = t.startsWith("0x") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case "real":
                return Double.parseDouble(r.getElementText().trim());
            case "true":
            case "false":
                r.getElementText();
                return tag.equals("true");
            case "date":
                return Instant.parse(r.getElementText().trim());
            default:
                throw new MalformedException(what, 0, "unknown plist element <" + tag + ">");
        }
    }
}
