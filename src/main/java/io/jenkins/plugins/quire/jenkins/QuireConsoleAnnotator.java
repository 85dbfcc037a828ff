package io.jenkins.plugins.quire.jenkins;

import hudson.MarkupText;
import hudson.console.ConsoleAnnotator;

/**
 * Per-view console annotator: hides each Quire marker and wraps the rest of the line in constant markup chosen by
 * {@link ConsoleLineStyle}. Its only state is whether the first line of the view is still to come and is partial (it
 * is serialized to the browser between polls of a running build's console): a view that starts mid-line (the tail
 * of a long log) leaves that first partial line unstyled, since what looks like a marker there may be text from the
 * middle of a command's output line (see {@link ConsoleViewStart}). Otherwise it renders the same at chunk
 * boundaries and after a reload. Unmarked lines (stdout, other plugins' output) cost one character check.
 */
public final class QuireConsoleAnnotator extends ConsoleAnnotator<Object> {
    private static final long serialVersionUID = 1L;

    private boolean partialFirstLine;

    /** An annotator for a view that starts at the start of a line. */
    public QuireConsoleAnnotator() {
        this(true);
    }

    /** @param startsAtLineStart false when the view may begin in the middle of a line (or where is unknown) */
    public QuireConsoleAnnotator(boolean startsAtLineStart) {
        this.partialFirstLine = !startsAtLineStart;
    }

    @Override
    public ConsoleAnnotator annotate(Object context, MarkupText text) {
        if (partialFirstLine) {
            partialFirstLine = false;
            return this;
        }
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
