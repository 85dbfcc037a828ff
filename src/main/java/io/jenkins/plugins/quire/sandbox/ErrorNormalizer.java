package io.jenkins.plugins.quire.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.LuajDebugAccess;

/**
 * Turns LuaJ's error texts into Lua 5.2's, with the position mapped to the user's source. LuaJ
 * calls the running thread's {@code errorfunc} at the error point (before unwinding), with
 * "@chunk:N msg"; installed there by {@link ErrorFixes}, this function reads the failing
 * instruction from {@link BudgetHook}'s frame stack and returns e.g.
 * "ci.fnl:10: attempt to index a nil value (local 'push')". It also records a traceback of the
 * error point for the host.
 */
public final class ErrorNormalizer extends OneArgFunction {
    private static final int OP_GETTABUP = 6, OP_GETTABLE = 7, OP_SETTABUP = 8, OP_SETTABLE = 10, OP_SELF = 12,
            OP_ADD = 13, OP_POW = 18, OP_UNM = 19, OP_LEN = 21, OP_CONCAT = 22, OP_CALL = 29, OP_TAILCALL = 30,
            OP_TFORCALL = 34;
    private static final Pattern LUAJ_POS = Pattern.compile("^[@=]?([^\\s:]+):(\\d+|\\?) (.*)$", Pattern.DOTALL);
    private static final Pattern INDEX = Pattern.compile("^attempt to index \\? \\(a (\\w+) value\\)$");
    private static final Pattern INDEX_EXPECTED = Pattern.compile("^index expected, got (\\w+)$");
    private static final Pattern CALL = Pattern.compile("^attempt to call (\\w+)$");
    private static final Pattern ARITH = Pattern.compile("^attempt to perform arithmetic .*$", Pattern.DOTALL);
    private static final Pattern CONCAT = Pattern.compile("^attempt to concatenate .*$", Pattern.DOTALL);
    private static final Pattern LENGTH = Pattern.compile("^attempt to get length of (?:a )?(\\w+)(?: value)?$");
    private static final Pattern BAD_ARG = Pattern.compile("^bad argument(?: #(\\d+))?: (.*)$", Pattern.DOTALL);
    private static final Pattern COMPARE_TAG = Pattern.compile("^attempt to compare __\\w+ on (\\w+) and (\\w+)$");
    private static final Pattern VM_ERROR = Pattern.compile("^vm error: ([\\w.$]+).*$", Pattern.DOTALL);

    private final Globals globals;
    private volatile LineMapper fallbackMapper = LineMapper.IDENTITY;
    private volatile Tracebacks.Frame[] lastFrames;
    private volatile String lastMessage;

    public ErrorNormalizer(Globals globals) {
        this.globals = globals;
    }

    /** Line mapping used when the Globals has no {@link BudgetHook} (the hook's mapper wins otherwise). */
    public void setLineMapper(LineMapper m) { fallbackMapper = m == null ? LineMapper.IDENTITY : m; }

    private BudgetHook hook() {
        return globals.debuglib instanceof BudgetHook h ? h : null;
    }

    LineMapper mapper() {
        BudgetHook h = hook();
        return h != null ? h.lineMapper() : fallbackMapper;
    }

    /** The traceback (mapped) captured at the most recent error point, or null. */
    public String lastTraceback() {
        Tracebacks.Frame[] f = lastFrames;
        return f == null ? null : Tracebacks.render(f, mapper());
    }

    /**
     * "chunk:line" (mapped) of the innermost Lua frame at the most recent error point, or null: the place of an
     * error whose value is not a string (a table, a boolean), which carries no position of its own.
     */
    public String lastLocation() {
        Tracebacks.Frame[] f = lastFrames;
        if (f == null) return null;
        for (Tracebacks.Frame frame : f) {
            if (frame.proto() != null) return Tracebacks.position(frame.proto(), frame.pc(), mapper());
        }
        return null;
    }

    /** The normalised message of the most recent error point, or null. */
    public String lastMessage() { return lastMessage; }

    /** Forgets the last error (start of a run). */
    public void clear() { lastFrames = null; lastMessage = null; }

    @Override
    public LuaValue call(LuaValue raw) {
        String msg = raw.isstring() ? LuaText.lenient(raw) : String.valueOf(raw.typename());
        String out;
        try {
            out = normalize(msg);
        } catch (RuntimeException e) {
            out = msg;
        }
        lastMessage = out;
        return LuaValue.valueOf(out);
    }

    /** The Lua 5.2 form of one LuaJ error message raised at the current error point. */
    public String normalize(String msg) {
        BudgetHook h = hook();
        Prototype p = null;
        int pc = -1;
        LuaValue[] regs = null;
        if (h != null) {
            for (int k = 0; k < h.depth(); k++) {   // innermost Lua frame
                if (h.protoAt(k) != null) {
                    p = h.protoAt(k);
                    pc = h.pcAt(k);
                    regs = h.registersAt(k);
                    break;
                }
            }
            lastFrames = h.snapshot();
        }
        String body = msg;
        String fallbackPos = null;
        Matcher m = LUAJ_POS.matcher(msg);
        if (m.matches()) {
            body = m.group(3);
            String line = m.group(2);
            fallbackPos = "?".equals(line) ? null
                    : m.group(1) + ":" + fallbackMapper.map(m.group(1), Integer.parseInt(line));
        }
        if (p != null && pc >= 0 && pc < p.code.length) {
            body = translate(body, p, pc, regs);
            return Tracebacks.position(p, pc, mapper()) + ": " + body;
        }
        body = translateWithoutFrame(body);
        return fallbackPos != null ? fallbackPos + ": " + body : body;
    }

    private static String translateWithoutFrame(String body) {
        Matcher m = VM_ERROR.matcher(body);
        if (m.matches()) return internal(m.group(1));
        m = COMPARE_TAG.matcher(body);
        if (m.matches()) return "attempt to compare " + m.group(1) + " with " + m.group(2);
        m = INDEX.matcher(body);
        if (m.matches()) return "attempt to index a " + m.group(1) + " value";
        m = CALL.matcher(body);
        if (m.matches()) return "attempt to call a " + m.group(1) + " value";
        return body;
    }

    private static String internal(String className) {
        int dot = className.lastIndexOf('.');
        return "internal error (" + className.substring(dot + 1) + ")";
    }

    static String translate(String body, Prototype p, int pc, LuaValue[] regs) {
        int i = p.code[pc];
        int op = i & 0x3f;
        int a = (i >>> 6) & 0xff, b = (i >>> 23) & 0x1ff, c = (i >>> 14) & 0x1ff;
        Matcher m = VM_ERROR.matcher(body);
        if (m.matches()) return internal(m.group(1));
        m = COMPARE_TAG.matcher(body);
        if (m.matches()) return "attempt to compare " + m.group(1) + " with " + m.group(2);
        m = INDEX.matcher(body);
        if (!m.matches()) m = INDEX_EXPECTED.matcher(body);
        if (m.matches()) return "attempt to index a " + m.group(1) + " value" + indexedInfo(p, pc, op, a, b);
        m = CALL.matcher(body);
        if (m.matches()) {
            String info = "";
            if (op == OP_CALL || op == OP_TAILCALL) info = varinfo(p, pc, a);
            else if (op == OP_TFORCALL) info = " (for iterator 'for iterator')";
            return "attempt to call a " + m.group(1) + " value" + info;
        }
        if (ARITH.matcher(body).matches() && op >= OP_ADD && op <= OP_UNM) {
            int bad = -1;
            LuaValue badValue = null;
            int[] operands = op == OP_UNM ? new int[] { b } : new int[] { b, c };
            for (int r : operands) {
                LuaValue v = rk(p, regs, r);
                if (v != null && v.tonumber().isnil()) { bad = r; badValue = v; break; }
            }
            if (badValue != null)
                return "attempt to perform arithmetic on a " + badValue.typename() + " value"
                        + (bad < 256 ? varinfo(p, pc, bad) : "");
            return body;
        }
        if (CONCAT.matcher(body).matches() && op == OP_CONCAT && regs != null) {
            for (int r = b; r <= c && r < regs.length; r++) {
                LuaValue v = regs[r];
                if (v != null && !v.isstring()) // isstring() is true for numbers too
                    return "attempt to concatenate a " + v.typename() + " value" + varinfo(p, pc, r);
            }
            return body;
        }
        m = LENGTH.matcher(body);
        if (m.matches() && op == OP_LEN) return "attempt to get length of a " + m.group(1) + " value" + varinfo(p, pc, b);
        m = BAD_ARG.matcher(body);
        if (m.matches() && (op == OP_CALL || op == OP_TAILCALL)) {
            String[] nw = LuajDebugAccess.objectName(p, pc, a);
            if (nw != null) {
                String n = m.group(1);
                return "bad argument " + (n != null ? "#" + n + " " : "") + "to '" + nw[0] + "' (" + m.group(2) + ")";
            }
        }
        return body;
    }

    private static String indexedInfo(Prototype p, int pc, int op, int a, int b) {
        switch (op) {
            case OP_GETTABLE:
            case OP_SELF:
                return varinfo(p, pc, b);
            case OP_SETTABLE:
                return varinfo(p, pc, a);
            case OP_GETTABUP:
            case OP_SETTABUP: {
                int up = op == OP_GETTABUP ? b : a;
                if (p.upvalues != null && up < p.upvalues.length && p.upvalues[up].name != null)
                    return " (upvalue '" + p.upvalues[up].name.tojstring() + "')";
                return "";
            }
            default:
                return "";
        }
    }

    private static LuaValue rk(Prototype p, LuaValue[] regs, int r) {
        if (r >= 256) {
            int k = r & 0xff;
            return k < p.k.length ? p.k[k] : null;
        }
        return regs != null && r < regs.length ? regs[r] : null;
    }

    private static String varinfo(Prototype p, int pc, int reg) {
        String[] nw = LuajDebugAccess.objectName(p, pc, reg);
        if (nw == null || nw[1] == null || "constant".equals(nw[1])) return "";
        return " (" + nw[1] + " '" + nw[0] + "')";
    }
}
