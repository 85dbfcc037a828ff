package io.jenkins.plugins.quire.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Lua error raised while ci.fnl's top level ran ({@code ci.fnl:12: attempt to index a nil value (local
 * 'push')}) into a {@link Diagnostic} at that line; the traceback is dropped (the line and the message say it all at
 * the top level). A message without a location (e.g. a budget stop) keeps line 0.
 */
final class ScriptDiagnostics {
    private ScriptDiagnostics() {}

    static Diagnostic from(String fileName, String message) {
        String text = message == null || message.isBlank() ? "error while loading " + fileName : message;
        int traceback = text.indexOf("\nstack traceback:");
        if (traceback >= 0) text = text.substring(0, traceback);
        text = text.strip();
        Matcher m = Pattern.compile("^" + Pattern.quote(fileName) + ":(\\d+): ").matcher(text);
        if (m.find()) return new Diagnostic(Integer.parseInt(m.group(1)), text.substring(m.end()));
        Matcher anywhere = Pattern.compile(Pattern.quote(fileName) + ":(\\d+): ").matcher(text);
        if (anywhere.find()) return new Diagnostic(Integer.parseInt(anywhere.group(1)), text);
        return new Diagnostic(0, text);
    }
}
