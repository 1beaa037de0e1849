package io.vestige.format.plist;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML property lists read with the JDK's StAX parser, DTD processing and external entities off:
 * the Apple DOCTYPE is skipped, entity references other than the five predefined ones are errors,
 * so a plist can neither read a host file (XXE) nor expand entities exponentially.
 */
final class XmlPlistReader {
    private static final XMLInputFactory FACTORY = factory();

    private final XMLStreamReader r;

    private XmlPlistReader(XMLStreamReader r) {
        this.r = r;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    static int firstNonSpace(byte[] b) {
        int i = 0;
        // UTF-8 byte-order mark
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }

    static Object read(byte[] bytes) throws ParseException {
        int start = firstNonSpace(bytes);
        String text = decode(bytes, start);
        XMLStreamReader r = null;
        try {
            synchronized (FACTORY) {
                r = FACTORY.createXMLStreamReader(new java.io.StringReader(text));
            }
            XmlPlistReader p = new XmlPlistReader(r);
            return p.document();
        } catch (XMLStreamException | RuntimeException e) {
            throw new MalformedException("XML plist", offsetOf(e, start), "not well-formed: " + message(e), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    /**
     * Decodes the document ourselves (UTF-16 by byte-order mark, else the declared encoding, else
     * UTF-8) so that a bad byte is a clean error with its offset; the JDK parser would also print
     * it to stderr.
     */
    static String decode(byte[] b, int start) throws MalformedException {
        java.nio.charset.Charset cs = java.nio.charset.StandardCharsets.UTF_8;
        int from = start;
        if (b.length - start >= 2 && (b[start] & 0xff) == 0xFE && (b[start + 1] & 0xff) == 0xFF) {
            cs = java.nio.charset.StandardCharsets.UTF_16BE;
            from += 2;
        } else if (b.length - start >= 2 && (b[start] & 0xff) == 0xFF && (b[start + 1] & 0xff) == 0xFE) {
            cs = java.nio.charset.StandardCharsets.UTF_16LE;
            from += 2;
        } else {
            String head = new String(b, start, Math.min(200, b.length - start), java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^<\\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
                    .matcher(head);
            if (m.find()) {
                try {
                    java.nio.charset.Charset declared = java.nio.charset.Charset.forName(m.group(1));
                    // a UTF-16 declaration without a byte-order mark on ASCII-looking bytes is a lie
                    if (!declared.name().startsWith("UTF-16") && !declared.name().startsWith("UTF-32")) {
                        cs = declared;
                    }
                } catch (IllegalArgumentException e) {
                    throw new MalformedException("XML plist", start, "unknown encoding '" + m.group(1) + "'");
                }
            }
        }
        java.nio.charset.CharsetDecoder dec = cs.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        int end = b.length;
        if (cs != java.nio.charset.StandardCharsets.UTF_16BE && cs != java.nio.charset.StandardCharsets.UTF_16LE) {
            // junk after </plist> (padding, a second document) is ignored, as CoreFoundation does
            int close = lastIndexOf(b, from, "</plist>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (close >= 0) {
                end = close + "</plist>".length();
            }
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b, from, end - from);
        try {
            String t = dec.decode(in).toString();
            // the declaration still names the original encoding; the parser reads chars and ignores it
            return t;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedException("XML plist", in.position(), "invalid " + cs.name() + " byte sequence");
        }
    }

    private static int lastIndexOf(byte[] h, int from, byte[] n) {
        outer:
        for (int i = h.length - n.length; i >= from; i--) {
            for (int j = 0; j < n.length; j++) {
                if (h[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long offsetOf(Exception e, int start) {
        if (e instanceof XMLStreamException x && x.getLocation() != null && x.getLocation().getCharacterOffset() >= 0) {
            return start + (long) x.getLocation().getCharacterOffset();
        }
        return -1;
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }

    private MalformedException bad(String what) {
        Location l = r.getLocation();
        return new MalformedException("XML plist", l == null ? -1 : l.getCharacterOffset(), what
                + (l == null ? "" : " (line " + l.getLineNumber() + ")"));
    }

    private Object document() throws XMLStreamException, ParseException {
        int ev = nextTag();
        if (ev != XMLStreamConstants.START_ELEMENT) {
            throw bad("no root element");
        }
        if (r.getLocalName().equals("plist")) {
            ev = nextTag();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                throw bad("empty <plist>");
            }
            Object v = value(0);
            // anything after the first object and </plist> is ignored, as CoreFoundation does
            return v;
        }
        return value(0);
    }

    /** Advances to the next start or end tag, skipping text, comments and processing instructions. */
    private int nextTag() throws XMLStreamException, ParseException {
        while (r.hasNext()) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT:
                    return ev;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE, XMLStreamConstants.COMMENT,
                     XMLStreamConstants.PROCESSING_INSTRUCTION, XMLStreamConstants.DTD,
                     XMLStreamConstants.START_DOCUMENT, XMLStreamConstants.CDATA:
                    if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) && !r.isWhiteSpace()) {
                        throw bad("unexpected text '" + abbreviate(r.getText()) + "'");
                    }
                    continue;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw bad("entity reference &" + r.getLocalName() + "; is not allowed");
                case XMLStreamConstants.END_DOCUMENT:
                    return ev;
                default:
                    continue;
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    /** Reads the value whose start tag is current. */
    private Object value(int depth) throws XMLStreamException, ParseException {
        if (depth > PropertyList.MAX_DEPTH) {
            throw bad("nesting deeper than " + PropertyList.MAX_DEPTH);
        }
        String tag = r.getLocalName();
        switch (tag) {
            case "dict":
                return dict(depth);
            case "array":
                return array(depth);
            case "string":
                return text();
            case "key":
                throw bad("<key> outside a <dict>");
            case "integer":
                return integer(text().strip());
            case "real":
                return real(text().strip());
            case "true":
                empty();
                return Boolean.TRUE;
            case "false":
                empty();
                return Boolean.FALSE;
            case "date":
                return date(text().strip());
            case "data":
                return data(text());
            default:
                throw bad("unknown element <" + tag + ">");
        }
    }

    private String text() throws XMLStreamException, ParseException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE:
                    sb.append(r.getText());
                    break;
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    return sb.toString();
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw bad("entity reference &" + r.getLocalName() + "; is not allowed");
                default:
                    throw bad("unexpected markup inside a text element");
            }
        }
    }

    private void empty() throws XMLStreamException, ParseException {
        int ev = nextTag();
        if (ev != XMLStreamConstants.END_ELEMENT) {
            throw bad("<true/> and <false/> must be empty");
        }
    }

    private Map<String, Object> dict(int depth) throws XMLStreamException, ParseException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            int ev = nextTag();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return Collections.unmodifiableMap(m);
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                throw bad("unterminated <dict>");
            }
            if (!r.getLocalName().equals("key")) {
                throw bad("expected <key> in <dict>, found <" + r.getLocalName() + ">");
            }
            String key = text();
            ev = nextTag();
            if (ev != XMLStreamConstants.START_ELEMENT) {
                throw bad("<key>" + abbreviate(key) + "</key> has no value");
            }
            m.put(key, value(depth + 1));
        }
    }

    private List<Object> array(int depth) throws XMLStreamException, ParseException {
        List<Object> l = new ArrayList<>();
        while (true) {
            int ev = nextTag();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return Collections.unmodifiableList(l);
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                throw bad("unterminated <array>");
            }
            l.add(value(depth + 1));
        }
    }

    private Object integer(String s) throws ParseException {
        try {
            String t = s;
            boolean neg = false;
            if (t.startsWith("-") || t.startsWith("+")) {
                neg = t.startsWith("-");
                t = t.substring(1);
            }
            BigInteger v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                v = new BigInteger(t.substring(2), 16);
            } else {
                v = new BigInteger(t, 10);
            }
            if (neg) {
                v = v.negate();
            }
            if (v.bitLength() > 128) {
                throw bad("integer '" + abbreviate(s) + "' is wider than 128 bits");
            }
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw bad("integer '" + abbreviate(s) + "' is not a number");
        }
    }

    private Double real(String s) throws ParseException {
        String l = s.toLowerCase(Locale.ROOT);
        switch (l) {
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!l.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
            throw bad("real '" + abbreviate(s) + "' is not a number");
        }
        return Double.parseDouble(s);
    }

    private Instant date(String s) throws ParseException {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw bad("date '" + abbreviate(s) + "' is not ISO 8601 (yyyy-MM-ddTHH:mm:ssZ)");
        }
    }

    private byte[] data(String s) throws ParseException {
        try {
            // MIME decoding skips the line breaks and indentation that plist writers put in <data>
            return Base64.getMimeDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            throw bad("data is not base64: " + e.getMessage());
        }
    }
}
