package io.vestige.format.udif;

import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A small, lenient reader of XML property lists (the UDIF resource-fork plist, sparse-bundle
 * {@code Info.plist}) with the JDK parser. XXE-safe: no external entities or DTDs are loaded and a
 * document that declares entities is refused. Lenient as real images require: bytes after
 * {@code </plist>} are ignored (dmgwiz #19). Values become {@code Map} (insertion order), {@code List},
 * {@code String}, {@code Long}, {@code Boolean}, {@code byte[]} (data) and {@code String} (date, real).
 */
final class XmlPlist {
    private XmlPlist() {
    }

    private static final byte[] END = "</plist>".getBytes(StandardCharsets.US_ASCII);

    /** Parses a plist; {@code where} is the absolute offset of {@code xml} for messages. */
    static Object parse(byte[] xml, long where, String structure, int maxDepth) throws ParseException {
        int end = indexOf(xml, END);
        int len = end < 0 ? xml.length : end + END.length;
        String head = new String(xml, 0, Math.min(len, 4096), StandardCharsets.ISO_8859_1);
        if (head.contains("<!ENTITY") || containsEntityDecl(xml, len)) {
            throw new MalformedException(structure, where, "plist declares XML entities; refused");
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            try {
                // bound element nesting in the JDK parser itself (values deeper than maxDepth are refused below)
                f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(maxDepth + 8));
            } catch (IllegalArgumentException unsupported) {
                // another JAXP implementation: the depth check in value() still applies
            }
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> new org.xml.sax.InputSource(new java.io.StringReader("")));
            b.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override
                public void warning(org.xml.sax.SAXParseException e) {
                    // not fatal; the plist is read leniently
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }
            });
            org.w3c.dom.Document doc = b.parse(new ByteArrayInputStream(xml, 0, len));
            Element root = doc.getDocumentElement();
            if (root == null || !root.getTagName().equals("plist")) {
                throw new MalformedException(structure, where, "root element is not <plist>");
            }
            Element first = firstElement(root);
            if (first == null) {
                throw new MalformedException(structure, where, "empty <plist>");
            }
            return value(first, 0, maxDepth, structure, where);
        } catch (ParseException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedException(structure, where, "XML plist does not parse: " + e.getMessage(), e);
        }
    }

    private static boolean containsEntityDecl(byte[] xml, int len) {
        byte[] needle = "<!ENTITY".getBytes(StandardCharsets.US_ASCII);
        int i = indexOf(xml, needle);
        return i >= 0 && i < len;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Element firstElement(Node n) {
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static Object value(Element e, int depth, int maxDepth, String structure, long where) throws ParseException {
        if (depth > maxDepth) {
            throw new MalformedException(structure, where, "plist nesting deeper than " + maxDepth);
        }
        switch (e.getTagName()) {
            case "dict": {
                Map<String, Object> m = new LinkedHashMap<>();
                String key = null;
                NodeList kids = e.getChildNodes();
                for (int i = 0; i < kids.getLength(); i++) {
                    if (!(kids.item(i) instanceof Element c)) {
                        continue;
                    }
                    if (c.getTagName().equals("key")) {
                        key = c.getTextContent();
                    } else if (key != null) {
                        m.put(key, value(c, depth + 1, maxDepth, structure, where));
                        key = null;
                    }
                }
                return m;
            }
            case "array": {
                List<Object> l = new ArrayList<>();
                NodeList kids = e.getChildNodes();
                for (int i = 0; i < kids.getLength(); i++) {
                    if (kids.item(i) instanceof Element c) {
                        l.add(value(c, depth + 1, maxDepth, structure, where));
                    }
                }
                return l;
            }
            case "data":
                try {
                    return Base64.getMimeDecoder().decode(e.getTextContent().trim());
                } catch (IllegalArgumentException ex) {
                    throw new MalformedException(structure, where, "bad base64 in <data>: " + ex.getMessage());
                }
            case "integer":
                try {
                    String t = e.getTextContent().trim();
                    if (t.startsWith("0x") || t.startsWith("0X")) {
                        return Long.parseUnsignedLong(t.substring(2), 16);
                    }
                    return t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
                } catch (NumberFormatException ex) {
                    throw new MalformedException(structure, where, "bad <integer>: " + e.getTextContent());
                }
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                return e.getTextContent();
        }
    }

    /** A number given as integer or (decimal/hex) string, or {@code dflt}. */
    static long number(Object o, long dflt) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof String s) {
            String t = s.trim();
            try {
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    return Long.parseUnsignedLong(t.substring(2), 16);
                }
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }
}
