package io.jenkins.plugins.quire.fennel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * Turns an error raised inside the compile VM into a {@link FennelCompileException} whose message is exactly
 * Fennel's. Fennel raises its errors with {@code error(msg, 0)}; LuaJ ignores the level, prefixes the position of
 * the raising frame ({@code @fennel.lua:4100 }) and may append a traceback: both are removed here. The location
 * is read from Fennel's {@code file:line:col: Parse error: ...} header.
 */
final class FennelErrors {
    private static final Pattern LUAJ_PREFIX = Pattern.compile("^@?[^\\s]*?:\\d+:? ");

    /** LuaJ's position of a frame inside the compiler itself, as it can appear in nested messages. */
    private static final Pattern HOST_POSITION = Pattern.compile("@fennel\\.lua:\\d+:? ");

    /** A macro chunk's position written twice ({@code [string "..."]:2: =[string "..."]:2 msg}). */
    private static final Pattern DOUBLED_POSITION = Pattern.compile("(\\[string \"[^\"\n]*\"\\]:\\d+): [=@]?\\1:? ");

    /** Where macro code raised: the generated chunk's name and line mean nothing to the user. */
    private static final Pattern MACRO_POSITION = Pattern.compile("\\[string \"[^\"\n]*\"\\]:\\d+: ");

    /** A position inside fennel.lua itself, without LuaJ's {@code @}. */
    private static final Pattern COMPILER_POSITION = Pattern.compile("\\bfennel\\.lua:\\d+: ");

    /** A traceback block (header plus tab-indented frames) inside or at the end of a message. */
    private static final Pattern TRACEBACK = Pattern.compile("\nstack traceback:\n?(\t[^\n]*(\n|$))*");

    private FennelErrors() {}

    static FennelCompileException fromLuaError(LuaError e, String source, String fileName) {
        String msg = clean(rawMessage(e), fileName);
        int line = 0;
        int column = -1;
        Matcher m = Pattern.compile("^" + Pattern.quote(fileName) + ":(\\d+|\\?):(\\d+|\\?):? ").matcher(msg);
        if (m.find()) {
            line = m.group(1).equals("?") ? 0 : Integer.parseInt(m.group(1));
            column = m.group(2).equals("?") ? -1 : Integer.parseInt(m.group(2));
        } else {
            msg = fileName + ": " + msg;
        }
        String text = line > 0 ? lineOf(source, line) : null;
        if (text != null && !text.isBlank() && !msg.contains("\n")) msg = msg + "\n" + text;
        return new FennelCompileException(msg, fileName, line, column, text);
    }

    private static String rawMessage(LuaError e) {
        LuaValue obj = e.getMessageObject();
        if (obj != null && obj.type() == LuaValue.TSTRING) return obj.tojstring();
        String m = e.getMessage();
        return m == null ? "error object is not a string" : m;
    }

    /** Removes LuaJ's own position prefix and appended traceback, and trailing blank space. */
    static String clean(String msg, String fileName) {
        msg = TRACEBACK.matcher(msg).replaceAll("\n");
        if (!msg.startsWith(fileName + ":")) {
            Matcher p = LUAJ_PREFIX.matcher(msg);
            if (p.find() && msg.startsWith(fileName + ":", p.end())) msg = msg.substring(p.end());
        }
        msg = HOST_POSITION.matcher(msg).replaceAll("");
        msg = DOUBLED_POSITION.matcher(msg).replaceAll("$1: ");
        msg = MACRO_POSITION.matcher(msg).replaceAll("in macro code: ");
        msg = COMPILER_POSITION.matcher(msg).replaceAll("");
        return msg.stripTrailing();
    }

    /** Line {@code line} (1-based) of {@code source}, or null when out of range. */
    static String lineOf(String source, int line) {
        String[] lines = source.split("\r?\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : null;
    }
}
