package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.2 error semantics for LuaJ 3.0.1, which gets them wrong in ways users see: its pcall leaves
 * the thread's errorfunc set (an outer xpcall handler rewrites inner pcall messages), xpcall hands
 * handlers a string instead of the error object, error() ignores its level, assert/error add
 * "@chunk:N" prefixes, and messages lack variable names. {@link #install} replaces pcall, xpcall,
 * error and assert and installs an {@link ErrorNormalizer} as the thread's errorfunc.
 */
public final class ErrorFixes {
    private ErrorFixes() {}

    /** Installs the fixed pcall/xpcall/error/assert and the message normaliser into {@code g}. */
    public static void install(Globals g) {
        ErrorNormalizer n = new ErrorNormalizer(g);
        g.running.errorfunc = n;
        g.set("pcall", new PCall(g, n));
        g.set("xpcall", new XPCall(g, n));
        g.set("error", new ErrorFn(g));
        g.set("assert", new AssertFn());
    }

    /** The normaliser installed in {@code g} by {@link #install}, or null. */
    public static ErrorNormalizer normalizer(Globals g) {
        for (LuaValue v : new LuaValue[] { g.running.errorfunc, g.get("pcall") }) {
            if (v instanceof ErrorNormalizer n) return n;
            if (v instanceof PCall p) return p.normalizer;
        }
        return null;
    }

    /**
     * Calls {@code f} with the normaliser active (as a top-level protected call in Lua would) and
     * returns its results; Lua errors propagate as {@link LuaError} with normalised messages.
     */
    public static Varargs protectedCall(Globals g, LuaValue f, Varargs args) {
        ErrorNormalizer n = normalizer(g);
        LuaThread t = g.running;
        LuaValue saved = t.errorfunc;
        if (n != null) t.errorfunc = n;
        try {
            return f.invoke(args);
        } finally {
            t.errorfunc = saved;
        }
    }

    /** The value a protected call returns for {@code e}: the error object, or its message. */
    public static LuaValue errorValue(LuaError e) {
        LuaValue o = e.getMessageObject();
        return o != null ? o : LuaValue.NIL;
    }

    static LuaValue caughtValue(Throwable t) {
        if (t instanceof LuaError le) return errorValue(le);
        if (t instanceof StackOverflowError) return LuaValue.valueOf("stack overflow");
        return LuaValue.valueOf("internal error (" + t.getClass().getSimpleName() + ")");
    }

    /**
     * Runs {@code call} with the normaliser as the thread's errorfunc (restored afterwards, so an inner pcall never
     * hands its error to an outer xpcall's handler) and returns its result, or {@code (false, error value)} when it
     * raised a Lua error, a stack overflow or a runtime exception.
     */
    static Varargs protect(LuaThread t, ErrorNormalizer normalizer, java.util.function.Supplier<Varargs> call) {
        LuaValue saved = t.errorfunc;
        t.errorfunc = normalizer;
        try {
            return call.get();
        } catch (StackOverflowError | RuntimeException e) { // LuaError is a RuntimeException
            return LuaValue.varargsOf(LuaValue.FALSE, caughtValue(e));
        } finally {
            t.errorfunc = saved;
        }
    }

    static final class PCall extends VarArgFunction {
        final Globals g;
        final ErrorNormalizer normalizer;

        PCall(Globals g, ErrorNormalizer n) { this.g = g; this.normalizer = n; name = "pcall"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            return protect(g.running, normalizer, () -> varargsOf(TRUE, f.invoke(args.subargs(2))));
        }
    }

    static final class XPCall extends VarArgFunction {
        final Globals g;
        final ErrorNormalizer normalizer;

        XPCall(Globals g, ErrorNormalizer n) { this.g = g; this.normalizer = n; name = "xpcall"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            LuaValue handler = args.checkvalue(2);
            Varargs r = protect(g.running, normalizer, () -> varargsOf(TRUE, f.invoke(args.subargs(3))));
            if (r.arg1().toboolean()) return r;
            // The handler gets the error object itself (Lua 5.2), after the protected part unwound.
            LuaValue err = r.arg(2);
            return protect(g.running, normalizer, () -> varargsOf(FALSE, handler.call(err)));
        }
    }

    static final class ErrorFn extends VarArgFunction {
        final Globals g;

        ErrorFn(Globals g) { this.g = g; name = "error"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue msg = args.arg1();
            int level = args.optint(2, 1);
            if (!msg.isstring()) throw new LuaError(msg);          // keeps the object (table, nil, boolean)
            String text = LuaText.lenient(msg);
            if (level <= 0) throw new LocatedError(text);
            if (level == 1) throw new LuaError(text);              // positioned by the normaliser at the caller
            String pos = positionAtLevel(level);
            throw new LocatedError(pos != null ? pos + ": " + text : text);
        }

        private String positionAtLevel(int level) {
            if (!(g.debuglib instanceof BudgetHook h)) return null;
            int k = level - 1;
            if (k >= h.depth()) return null;
            Prototype p = h.protoAt(k);
            if (p == null) return null;
            int line = Tracebacks.luaLine(p, h.pcAt(k));
            return line > 0 ? Tracebacks.position(p, h.pcAt(k), h.lineMapper()) : null;
        }
    }

    static final class AssertFn extends VarArgFunction {
        AssertFn() { name = "assert"; }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.arg1().toboolean()) return args;
            if (args.narg() < 2 || args.arg(2).isnil()) throw new LuaError("assertion failed!");
            LuaValue m = args.arg(2);
            if (m.isstring()) throw new LuaError(LuaText.lenient(m));
            throw new LuaError(m);
        }
    }
}
