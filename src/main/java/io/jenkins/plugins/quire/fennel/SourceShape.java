package io.jenkins.plugins.quire.fennel;

/**
 * Refuses source the compiler cannot handle cleanly before it runs: more than 1 MiB (Fennel would run out
 * of its budget or of string space inside fennel.lua, with a message naming fennel.lua) and forms nested
 * more than 100 levels (Fennel's scope chain then exceeds Lua's 100-step {@code __index} chain: "loop in
 * gettable"). One linear pass; delimiters inside strings and comments do not count.
 */
final class SourceShape {
    /** Most UTF-8 bytes of source the compiler accepts. */
    static final int MAX_BYTES = 1 << 20;
    /** Deepest nesting of ( [ { the compiler accepts. */
    static final int MAX_NESTING = 100;

    private SourceShape() {}

    /** An error for {@code source}, or null when its size and nesting are acceptable. */
    static FennelCompileException check(String source, String fileName) {
        long bytes = utf8Length(source);
        if (bytes > MAX_BYTES)
            return new FennelCompileException(fileName + ": the source is " + bytes + " bytes; the compiler accepts at most "
                    + MAX_BYTES + " bytes (1 MiB)", fileName, 0, -1, null);
        int depth = 0, line = 1, column = 0;
        boolean inString = false, inComment = false;
        for (int i = 0; i < source.length(); i++, column++) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                column = -1;
                inComment = false;
            } else if (inComment) {
                continue;
            } else if (inString) {
                if (c == '\\') { i++; column++; }
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == ';') {
                inComment = true;
            } else if (c == '(' || c == '[' || c == '{') {
                if (++depth > MAX_NESTING)
                    return new FennelCompileException(fileName + ":" + line + ":" + column + ": forms nested too deeply (more than "
                            + MAX_NESTING + " levels)", fileName, line, column, null);
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth > 0) depth--;
            }
        }
        return null;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
