package io.jenkins.plugins.quire.jenkins;

import hudson.MarkupText;
import hudson.console.ConsoleAnnotator;

/**
 * Per-view console annotator: hides each Quire marker and wraps the rest of the line in constant markup chosen by
 * {@link ConsoleLineStyle}. Holds no state (it is serialized to the browser between polls of a running build's
 * console), so it renders the same from the tail offset, at chunk boundaries and after a reload. Unmarked lines
 * (stdout, other plugins' output) cost one character check.
 */
public final class QuireConsoleAnnotator extends ConsoleAnnotator<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public ConsoleAnnotator annotate(Object context, MarkupText text) {
        String s = text.getText();
        if (s.length() >= 2 && s.charAt(0) == ConsoleMarkers.LEAD) ConsoleLineStyle.apply(s, new Adapter(text));
        return this;
    }

    /** Named adapter (no lambda) from {@link ConsoleLineStyle.Markup} to {@link MarkupText}. */
    private static final class Adapter implements ConsoleLineStyle.Markup {
        private final MarkupText text;

        Adapter(MarkupText text) {
            this.text = text;
        }

        @Override
        public void add(int start, int end, String startTag, String endTag) {
            text.addMarkup(start, end, startTag, endTag);
        }
    }
}
