package io.jenkins.plugins.quire.sandbox;

/**
 * Shortening of text that was already redacted. Cutting must come after redaction (a secret cut in two no longer
 * matches, and its first part would show), and the cut must not fall inside a redaction marker
 * {@code {{ name }}} (the text would then end in a broken marker) nor between the two halves of a surrogate pair.
 */
public final class RedactedText {
    private RedactedText() {}

    /** {@code s} itself if it has at most {@code max} chars, else a prefix of at most {@code max} chars + "...". */
    public static String cut(String s, int max) {
        if (s.length() <= max) return s;
        int end = max;
        int open = s.lastIndexOf("{{ ", end - 1);
        if (open >= 0) {
            int close = s.indexOf(" }}", open + 3);
            if (close >= 0 && close + 3 > end) end = open; // the marker straddles the cut: cut before it
        }
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "...";
    }
}
