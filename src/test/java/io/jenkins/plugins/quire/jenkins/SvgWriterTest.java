package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The SVG writer escapes every attribute and text, so log text never becomes markup. */
class SvgWriterTest {
    static final String NASTY = "<script>alert(\"x\" & 'y')</script><img src=x onerror=alert(1)>";

    @Test
    void textAndAttributesComeBackExactlyAndAddNoElement() throws Exception {
        String svg = new SvgWriter().start("svg", "xmlns", "http://www.w3.org/2000/svg")
                .start("g", "data-job", NASTY).element("title", NASTY).element("text", NASTY, "x", 1.25).end()
                .toString();
        assertFalse(svg.contains("<script") || svg.contains("<img"), svg);
        Document d = Svg.parse(svg);
        assertEquals(0, d.getElementsByTagName("script").getLength());
        assertEquals(0, d.getElementsByTagName("img").getLength());
        Element g = (Element) d.getElementsByTagName("g").item(0);
        assertEquals(NASTY, g.getAttribute("data-job"));
        assertEquals(NASTY, d.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(NASTY, d.getElementsByTagName("text").item(0).getTextContent());
        assertEquals("1.3", ((Element) d.getElementsByTagName("text").item(0)).getAttribute("x"));
    }

    @Test
    void charactersXmlForbidsBecomeReplacementCharacters() throws Exception {
        String svg = new SvgWriter().element("text", "a\u0000b\u001bc\ud800d\ud83d\ude00e\tf").toString();
        assertEquals("a\ufffdb\ufffdc\ufffdd\ud83d\ude00e\tf", Svg.parse(svg).getDocumentElement().getTextContent());
    }

    @Test
    void emptyElementsSelfCloseAndOpenOnesAreClosedInOrder() {
        String svg = new SvgWriter().start("svg").start("g").empty("rect", "x", 1, "skip", null).toString();
        assertEquals("<svg><g><rect x=\"1\"/></g></svg>", svg);
        assertEquals("2", SvgWriter.num(2.0));
        assertEquals("12.5", SvgWriter.num(12.49));
    }
}
