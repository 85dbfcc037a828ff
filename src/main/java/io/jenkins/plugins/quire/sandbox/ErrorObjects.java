package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Renders a script's error object for the host without running any script code: tables are read
 * with raw access only (a {@code __tostring} or {@code __index} could loop outside the budget),
 * at most 8 entries per table and two levels deep, e.g. {@code {code = 42}}.
 */
public final class ErrorObjects {
    private ErrorObjects() {}

    private static final int MAX_ENTRIES = 8;

    /** The host-side text of a Lua error value. */
    public static String describe(LuaValue v) {
        return describe(v, 2);
    }

    public static String describe(LuaValue v, int depth) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, depth, true);
        return sb.toString();
    }

    private static void append(StringBuilder sb, LuaValue v, int depth, boolean top) {
        switch (v.type()) {
            case LuaValue.TSTRING:
                String s = v.tojstring();
                if (s.length() > 200) s = s.substring(0, 200) + "...";
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
                    if (k.type() == LuaValue.TSTRING && k.tojstring().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        sb.append(k.tojstring());
                    } else {
                        sb.append('[');
                        append(sb, k, 0, false);
                        sb.append(']');
                    }
                    sb.append(" = ");
                    append(sb, e.arg(2), depth - 1, false);
                }
                sb.append('}');
                return;
            default:
                sb.append(v.typename());
        }
    }
}
