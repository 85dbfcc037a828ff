package io.jenkins.plugins.quire.jenkins;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Parses the page's SVG with the JDK's XML parser (a real parser, so malformed or injected markup shows). */
final class Svg {
    private Svg() {}

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    /** Elements with {@code tag} whose {@code data-kind} attribute holds the word {@code cls} (any when null). */
    static List<Element> elements(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (cls == null || (" " + e.getAttribute("data-kind") + " ").contains(" " + cls + " ")) out.add(e);
        }
        return out;
    }

    /** The text of the first {@code title} child of {@code e}. */
    static String title(Element e) {
        NodeList t = e.getElementsByTagName("title");
        return t.getLength() == 0 ? null : t.item(0).getTextContent();
    }
}
