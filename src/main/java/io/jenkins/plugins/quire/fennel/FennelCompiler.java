package io.jenkins.plugins.quire.fennel;

import io.jenkins.plugins.quire.sandbox.BudgetExceeded;
import io.jenkins.plugins.quire.sandbox.BudgetHook;
import io.jenkins.plugins.quire.sandbox.ErrorFixes;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Turns {@code ci.fnl} into Lua with the bundled Fennel 1.5.3 compiler running in LuaJ (docs/architecture.md, compile
 * VM). Each compilation gets a fresh, restricted VM over the once-parsed {@code fennel.lua}, runs on its own
 * thread (16 MiB stack) under an instruction and wall-clock budget, and keeps Fennel's source map so runtime
 * errors can be reported at {@code ci.fnl} lines. Macros run inside Fennel's compiler sandbox as usual.
 */
public final class FennelCompiler {
    /** Exactly the globals the execute VM offers; any other global is {@code unknown identifier} at compile time. */
    public static final List<String> ALLOWED_GLOBALS = List.of(
            "sh", "secret", "jobs", "string", "table", "math", "assert", "error", "ipairs", "pairs", "next",
            "pcall", "xpcall", "select", "tonumber", "tostring", "type", "rawget", "rawset", "rawequal", "rawlen",
            "setmetatable", "getmetatable", "unpack", "require", "_G", "_VERSION");

    /** Budget of one compilation: 50 M instructions, 5 s of wall-clock time, 1,000 nested calls. */
    public static final SandboxLimits LIMITS =
            new SandboxLimits(50_000_000L, 5_000L, 16 << 20, 1L << 30, 1_000);

    private static final long STACK_BYTES = 16L << 20;

    private FennelCompiler() {}

    /** Compiles {@code source} under the name {@code fileName} (used in messages and as the chunk name). */
    public static CompiledScript compile(String source, String fileName) throws FennelCompileException {
        return compile(source, fileName, LIMITS);
    }

    /** As {@link #compile(String, String)} with explicit limits. */
    public static CompiledScript compile(String source, String fileName, SandboxLimits limits)
            throws FennelCompileException {
        if (source == null) throw new IllegalArgumentException("source is null");
        if (fileName == null || fileName.isEmpty()) throw new IllegalArgumentException("fileName is empty");
        FennelCompileException shape = SourceShape.check(source, fileName);
        if (shape != null) throw shape;
        FennelPrototype.get(); // parse fennel.lua (once) outside the budget
        BudgetHook hook = new BudgetHook(limits);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> result.set(runCompile(source, fileName, hook, limits)),
                "fennel-compile", STACK_BYTES);
        t.setDaemon(true);
        t.start();
        long wall = limits.cpuTimeMillis() > 0 ? limits.cpuTimeMillis() : 60_000L;
        if (!joinFor(t, wall + 2_000)) {
            hook.cancel(BudgetExceeded.Kind.LIMIT, "time limit exceeded (" + wall + " ms)");
            if (!joinFor(t, 1_000)) stopLastResort(t);
            if (result.get() == null) {
                result.set(stopped(fileName, "time limit exceeded (" + wall + " ms)"));
            }
        }
        Object r = result.get();
        if (r instanceof CompiledScript c) return c;
        if (r instanceof FennelCompileException e) throw e;
        throw stopped(fileName, "the compiler thread ended without a result");
    }

    private static boolean joinFor(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** A compile stuck inside one Java library call never reaches the hook; Java 17 can still stop it. */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stopLastResort(Thread t) {
        try {
            t.stop();
        } catch (UnsupportedOperationException | SecurityException e) {
            // Java 20+: the thread keeps running until its current library call returns to the hook
        }
    }

    private static Object runCompile(String source, String fileName, BudgetHook hook, SandboxLimits limits) {
        try {
            ExecSandbox.hardenStatics();
            Globals g = CompileVM.newGlobals(hook);
            ExecSandbox.bindStringTable((LuaTable) g.get("string"));
            hook.arm(limits);
            try {
                LuaValue fennel = new LuaClosure(FennelPrototype.get(), g).call();
                fennel.set("path", "");
                fennel.set("macro-path", "");
                fennel.set("macroPath", "");
                Varargs out = ErrorFixes.protectedCall(g, fennel.get("compileString"),
                        LuaValue.varargsOf(LuaValue.valueOf(source), options(fileName)));
                return new CompiledScript(fileName, out.arg1().tojstring(), lineMap(out.arg(2)));
            } finally {
                hook.disarm();
                ExecSandbox.bindStringTable(null);
                ExecSandbox.hardenStatics();
            }
        } catch (BudgetExceeded e) {
            return stopped(fileName, e.getMessage());
        } catch (StackOverflowError e) {
            return stopped(fileName, "stack overflow");
        } catch (LuaError e) {
            return FennelErrors.fromLuaError(e, source, fileName);
        } catch (ThreadDeath e) {
            return stopped(fileName, "time limit exceeded");
        } catch (RuntimeException e) {
            return new FennelCompileException(fileName + ": internal compiler error: " + e, fileName, 0, -1, null);
        }
    }

    private static FennelCompileException stopped(String fileName, String why) {
        return new FennelCompileException(fileName + ": compilation stopped: " + why, fileName, 0, -1, null);
    }

    /** The options both the compile VM and the lua5.2 reference driver pass to {@code compileString}. */
    static LuaTable options(String fileName) {
        LuaTable opts = new LuaTable();
        opts.set("filename", fileName);
        opts.set("error-pinpoint", LuaValue.FALSE);
        LuaTable allowed = new LuaTable();
        int i = 1;
        for (String name : ALLOWED_GLOBALS) allowed.set(i++, LuaValue.valueOf(name));
        opts.set("allowedGlobals", allowed);
        return opts;
    }

    /** Fennel's source map ({@code map[luaLine] = {filename, fennelLine}}) as {@code int[luaLine]}. */
    static int[] lineMap(LuaValue map) {
        if (!map.istable()) return new int[0];
        int max = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = map.next(k);
            k = n.arg1();
            if (k.isnil()) break;
            if (k.isint() && k.toint() > max && n.arg(2).istable()) max = k.toint();
        }
        int[] out = new int[max + 1];
        for (int l = 1; l <= max; l++) {
            LuaValue entry = map.rawget(l);
            if (entry.istable()) {
                LuaValue line = entry.rawget(2);
                if (line.isnumber()) out[l] = line.toint();
            }
        }
        return out;
    }
}
