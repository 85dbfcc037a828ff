package io.jenkins.plugins.quire.jenkins;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Writes the SVG pictures of the Quire CI page (job graph, timeline) as markup that is safe to put inline into the
 * HTML page: every attribute value and every text node is escaped here, so text from the logs (job ids, commands,
 * errors) can never become markup, whatever it holds. Characters XML does not allow (C0 controls, unpaired
 * surrogates) become U+FFFD. Elements are closed in order by {@link #end()}; {@link #toString()} closes what is left.
 *
 * <p>The pictures mark their parts with {@code data-kind}, never {@code class}: Hudson 1.395's {@code behavior.js}
 * calls {@code className.match} on every element of the page, and an SVG element's {@code className} is not a
 * string, so one {@code class} inside an SVG stops the page's scripts with a TypeError.
 */
final class SvgWriter {
    private final StringBuilder out = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();
    private boolean inStartTag;

    /** Opens an element; {@code attrs} are name/value pairs (a null value leaves the attribute out). */
    SvgWriter start(String name, Object... attrs) {
        closeStartTag();
        out.append('<').append(name);
        if (attrs.length % 2 != 0) throw new IllegalArgumentException("attributes come in name/value pairs");
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            if (v == null) continue;
            out.append(' ').append((String) attrs[i]).append("=\"");
            escape(v instanceof Double d ? num(d) : String.valueOf(v));
            out.append('"');
        }
        open.push(name);
        inStartTag = true;
        return this;
    }

    /** An element without children. */
    SvgWriter empty(String name, Object... attrs) {
        start(name, attrs);
        return end();
    }

    /** An element holding only {@code text}. */
    SvgWriter element(String name, String text, Object... attrs) {
        start(name, attrs);
        text(text);
        return end();
    }

    /** Escaped text inside the current element. */
    SvgWriter text(String text) {
        closeStartTag();
        if (text != null) escape(text);
        return this;
    }

    /** Closes the innermost open element. */
    SvgWriter end() {
        String name = open.pop();
        if (inStartTag) {
            out.append("/>");
            inStartTag = false;
        } else {
            out.append("</").append(name).append('>');
        }
        return this;
    }

    @Override
    public String toString() {
        while (!open.isEmpty()) end();
        return out.toString();
    }

    private void closeStartTag() {
        if (inStartTag) {
            out.append('>');
            inStartTag = false;
        }
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                            || c == 0xFFFE || c == 0xFFFF) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** A coordinate with at most one decimal, without a trailing {@code .0}. */
    static String num(double v) {
        long tenths = Math.round(v * 10);
        if (tenths % 10 == 0) return Long.toString(tenths / 10);
        return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
