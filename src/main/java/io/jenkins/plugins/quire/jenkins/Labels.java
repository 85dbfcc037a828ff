package io.jenkins.plugins.quire.jenkins;

/** Text cut to fit a picture's label: whole code points only, with an ellipsis when something was cut. */
final class Labels {
    private Labels() {}

    static String shorten(String text, int maxCodePoints) {
        if (text == null) return "";
        if (text.codePointCount(0, text.length()) <= maxCodePoints) return text;
        return text.substring(0, text.offsetByCodePoints(0, maxCodePoints - 1)) + "\u2026";
    }
}
