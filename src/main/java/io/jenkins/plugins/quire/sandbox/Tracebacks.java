package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.Prototype;
import org.luaj.vm2.lib.LuajDebugAccess;

/**
 * Positions and Lua 5.2-style tracebacks from {@link BudgetHook}'s frame stack, with every line
 * mapped back to the user's source: this is what makes "ci.fnl:27: in function 'deep'" possible
 * without LuaJ's own (slower, less accurate) call stack.
 */
public final class Tracebacks {
    private Tracebacks() {}

    /** One frame: its prototype (null for a Java function) and current instruction. */
    public record Frame(Prototype proto, int pc) {}

    private static final int OP_CALL = 29, OP_TAILCALL = 30;
    private static final int MAX_LINES = 22;

    /** Chunk name without the leading '@' or '='. */
    public static String chunkName(Prototype p) {
        String s = p.source == null ? "?" : p.source.tojstring();
        return s.startsWith("@") || s.startsWith("=") ? s.substring(1) : s;
    }

    /** The Lua line of instruction {@code pc}, 0 if unknown. */
    public static int luaLine(Prototype p, int pc) {
        return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
    }

    /** "chunk:line" with the line mapped; "chunk:?" if unknown. */
    public static String position(Prototype p, int pc, LineMapper mapper) {
        String chunk = chunkName(p);
        int line = luaLine(p, pc);
        if (line <= 0) return chunk + ":?";
        return chunk + ":" + mapper.map(chunk, line);
    }

    /** "stack traceback:" followed by one tab-indented line per frame, innermost first. */
    public static String render(Frame[] frames, LineMapper mapper) {
        StringBuilder sb = new StringBuilder("stack traceback:");
        int shown = 0;
        for (int k = 0; k < frames.length; k++) {
            if (shown == MAX_LINES && frames.length - k > 3) {
                sb.append("\n\t...");
                k = frames.length - 3;
                shown++;
            }
            Frame f = frames[k];
            sb.append("\n\t");
            if (f.proto() == null) {
                sb.append("[Java]: in ?");
            } else {
                sb.append(position(f.proto(), f.pc(), mapper)).append(": ");
                sb.append(describeFunction(f.proto(), k + 1 < frames.length ? frames[k + 1] : null, mapper));
            }
            shown++;
        }
        return sb.toString();
    }

    private static String describeFunction(Prototype p, Frame caller, LineMapper mapper) {
        if (p.linedefined == 0) return "in main chunk";
        if (caller != null && caller.proto() != null) {
            Prototype cp = caller.proto();
            int pc = caller.pc();
            if (pc >= 0 && pc < cp.code.length) {
                int i = cp.code[pc];
                int op = i & 0x3f;
                if (op == OP_CALL || op == OP_TAILCALL) {
                    String[] nw = LuajDebugAccess.objectName(cp, pc, (i >>> 6) & 0xff);
                    if (nw != null) {
                        if ("method".equals(nw[1])) return "in function '" + nw[0] + "'";
                        return "in function '" + nw[0] + "'";
                    }
                }
            }
        }
        String chunk = chunkName(p);
        return "in function <" + chunk + ":" + mapper.map(chunk, p.linedefined) + ">";
    }
}
