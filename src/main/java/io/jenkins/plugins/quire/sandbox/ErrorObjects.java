package io.jenkins.plugins.quire.sandbox;

import java.util.function.UnaryOperator;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Renders a script's error object for the host without running any script code: tables are read
 * with raw access only (a {@code __tostring} or {@code __index} could loop outside the budget),
 * at most 8 entries per table and two levels deep, e.g. {@code {code = 42}}.
 *
 * <p>Each string is redacted while it is still raw, then cut, then escaped: escaping first would turn a secret
 * holding {@code "}, {@code \} or a newline into text the redactor no longer recognises, and cutting first would
 * show the first characters of a secret that straddles the cut.
 */
public final class ErrorObjects {
    private ErrorObjects() {}

    private static final int MAX_ENTRIES = 8;
    static final int MAX_STRING = 200;

    /** The host-side text of a Lua error value, with nothing redacted (no secrets known). */
    public static String describe(LuaValue v) {
        return describe(v, UnaryOperator.identity());
    }

    /** The host-side text of a Lua error value; {@code redact} is applied to every raw string before rendering. */
    public static String describe(LuaValue v, UnaryOperator<String> redact) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, 2, true, redact);
        return sb.toString();
    }

    private static void append(StringBuilder sb, LuaValue v, int depth, boolean top, UnaryOperator<String> redact) {
        switch (v.type()) {
            case LuaValue.TSTRING:
                String s = RedactedText.cut(redact.apply(LuaText.lenient(v)), MAX_STRING);
                if (top) sb.append(s);
                else sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                return;
            case LuaValue.TNUMBER:
                sb.append(v.isinttype() ? v.tojstring() : CFormat.number14g(v.todouble()));
                return;
            case LuaValue.TNIL:
                sb.append("nil");
                return;
            case LuaValue.TBOOLEAN:
                sb.append(v.toboolean());
                return;
            case LuaValue.TTABLE:
                if (depth <= 0) { sb.append("{...}"); return; }
                LuaTable t = (LuaTable) v;
                sb.append('{');
                LuaValue k = LuaValue.NIL;
                int n = 0;
                while (true) {
                    Varargs e = t.next(k);
                    k = e.arg1();
                    if (k.isnil()) break;
                    if (n == MAX_ENTRIES) { sb.append(", ..."); break; }
                    if (n++ > 0) sb.append(", ");
                    String key = k.type() == LuaValue.TSTRING ? LuaText.lenient(k) : null;
                    if (key != null && key.matches("[A-Za-z_][A-Za-z0-9_]*") && key.equals(redact.apply(key))) {
                        sb.append(key);
                    } else {
                        sb.append('[');
                        append(sb, k, 0, false, redact);
                        sb.append(']');
                    }
                    sb.append(" = ");
                    append(sb, e.arg(2), depth - 1, false, redact);
                }
                sb.append('}');
                return;
            default:
                sb.append(v.typename());
        }
    }
}
