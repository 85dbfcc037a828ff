package io.jenkins.plugins.quire.sandbox;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaBoolean;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaNil;
import org.luaj.vm2.LuaNumber;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.compiler.LuajCompilerAccess;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The execute VM: runs the Lua generated from a user's ci.fnl with exactly the surface of
 * docs/security.md (string without dump, table, math, the safe base functions, a host-only require and the host
 * globals), under a {@link BudgetHook}, on its own thread with a 16 MiB stack. LuaJ's string
 * metatable is a JVM-wide static; it is frozen here and its {@code __index} dispatches to the
 * string table of the VM running on the current thread, so no run can change another's strings.
 * Create one per pipeline load; it is not shared between users.
 */
public final class ExecSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExecSandbox.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long STACK_BYTES = 16L << 20;

    /** Globals a script may see besides the registered host globals. */
    private static final Set<String> SAFE_GLOBALS = Set.of("assert", "error", "ipairs", "next", "pairs", "pcall",
            "select", "tonumber", "tostring", "type", "xpcall", "rawequal", "rawget", "rawset", "rawlen",
            "setmetatable", "getmetatable", "unpack", "_G", "_VERSION", "require", "string", "table", "math");

    private static final ThreadLocal<LuaTable> CURRENT_STRING = new ThreadLocal<>();
    private static final ThreadLocal<ExecSandbox> CURRENT_VM = new ThreadLocal<>();
    private static final LuaTable STRING_FUNCS;
    private static final LuaTable SHARED_STRING_MT;
    private static volatile BiConsumer<String, Throwable> defaultListener =
            (name, e) -> LOG.log(Level.WARNING, "host function '" + name + "' failed", e);

    static {
        Globals g0 = new Globals();
        LuaTable pkg = new LuaTable();
        pkg.set("loaded", new LuaTable());
        g0.set("package", pkg);
        g0.load(new BaseLib());
        g0.load(new StringLib());       // may claim LuaString.s_metatable: replaced below
        LuaFixes.install(g0, SandboxLimits.DEFAULTS.maxStringBytes());
        LimitedPatterns.install(g0.get("string"), null);
        ReadOnlyTable funcs = new ReadOnlyTable();
        copyInto(g0.get("string").checktable(), funcs);
        STRING_FUNCS = funcs.freeze();
        ReadOnlyTable mt = new ReadOnlyTable();
        mt.rawset(LuaValue.INDEX, new StringIndex());
        mt.rawset(LuaValue.valueOf("__metatable"), LuaValue.FALSE);
        SHARED_STRING_MT = mt.freeze();
        LuaString.s_metatable = SHARED_STRING_MT;
        hardenStatics();
    }

    /** {@code __index} of the shared string metatable: the running VM's own {@code string} table. */
    static final class StringIndex extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue s, LuaValue key) {
            LuaTable t = CURRENT_STRING.get();
            return (t != null ? t : STRING_FUNCS).get(key);
        }
    }

    /**
     * Puts back the JVM-wide metatables (string: the frozen shared one; number, boolean, nil,
     * function, thread: none). Call before every run and every compilation: another VM with a full
     * debug library could have changed them. Returns a warning naming what was reset, or null.
     */
    public static String hardenStatics() {
        // the common case takes no lock: every job VM calls this at the start of each run, on its own thread
        if (LuaString.s_metatable == SHARED_STRING_MT && LuaNumber.s_metatable == null && LuaBoolean.s_metatable == null
                && LuaNil.s_metatable == null && LuaFunction.s_metatable == null && LuaThread.s_metatable == null
                && SHARED_STRING_MT != null) return null;
        return resetStatics();
    }

    private static synchronized String resetStatics() {
        StringBuilder changed = new StringBuilder();
        if (SHARED_STRING_MT != null && LuaString.s_metatable != SHARED_STRING_MT) {
            LuaString.s_metatable = SHARED_STRING_MT;
            changed.append(" string");
        }
        if (LuaNumber.s_metatable != null) { LuaNumber.s_metatable = null; changed.append(" number"); }
        if (LuaBoolean.s_metatable != null) { LuaBoolean.s_metatable = null; changed.append(" boolean"); }
        if (LuaNil.s_metatable != null) { LuaNil.s_metatable = null; changed.append(" nil"); }
        if (LuaFunction.s_metatable != null) { LuaFunction.s_metatable = null; changed.append(" function"); }
        if (LuaThread.s_metatable != null) { LuaThread.s_metatable = null; changed.append(" thread"); }
        if (changed.length() == 0) return null;
        String w = "reset JVM-wide Lua metatables:" + changed;
        LOG.warning(w);
        return w;
    }

    /**
     * Makes {@code ("x"):method()} on the calling thread use {@code stringTable} (null: the shared
     * frozen default). For other VMs (e.g. the compile VM) that run on their own threads.
     */
    public static void bindStringTable(LuaTable stringTable) {
        if (stringTable == null) CURRENT_STRING.remove();
        else CURRENT_STRING.set(stringTable);
    }

    /** A fresh copy of the hardened string functions (no dump; limited patterns; fixed format/rep). */
    public static LuaTable newStringTable() {
        LuaTable t = new LuaTable();
        copyInto(STRING_FUNCS, t);
        return t;
    }

    /** The sandbox whose run is executing on the calling thread, or null. */
    public static ExecSandbox current() {
        return CURRENT_VM.get();
    }

    /** Where host exceptions of sandboxes without their own listener go (default: java.util.logging). */
    public static BiConsumer<String, Throwable> defaultHostErrorListener() {
        return defaultListener;
    }

    private static void copyInto(LuaTable from, LuaTable to) {
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs e = from.next(k);
            k = e.arg1();
            if (k.isnil()) break;
            to.rawset(k, e.arg(2));
        }
    }

    // ---- instance ---------------------------------------------------------------------------

    private final SandboxLimits limits;
    private final Globals globals;
    private final BudgetHook hook;
    private final ErrorNormalizer normalizer;
    private final LuaTable stringTable;
    private final Map<String, LuaValue> modules = new LinkedHashMap<>();
    private final Set<String> hostGlobals = new HashSet<>();
    private final Map<String, IntUnaryOperator> sourceMaps = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private volatile Thread vmThread;
    private volatile boolean running;
    private volatile boolean broken;
    private volatile BiConsumer<String, Throwable> hostErrorListener;
    private volatile String pendingAbort;
    private volatile String stickyAbort;
    private volatile UnaryOperator<String> redaction = UnaryOperator.identity();
    private volatile RunLuaBudget allocationPool;
    private final Object runLock = new Object();

    private ExecSandbox(SandboxLimits limits) {
        this.limits = limits == null ? SandboxLimits.DEFAULTS : limits;
        hardenStatics();
        Globals g = new Globals();
        LuaTable pkg = new LuaTable();                 // stub so libraries can register; removed below
        pkg.set("loaded", new LuaTable());
        g.set("package", pkg);
        g.load(new BaseLib());
        g.load(new TableLib());
        g.load(new JseMathLib());
        stringTable = newStringTable();
        g.set("string", stringTable);
        LuaFixes.install(g, this.limits.maxStringBytes());
        LimitedPatterns.install(stringTable, g.get("table"));
        ErrorFixes.install(g);
        g.set("unpack", g.get("table").get("unpack"));
        g.set("require", new Require());
        hook = new BudgetHook(this.limits);
        hook.install(g);
        hook.setLineMapper(this::mapLine);
        normalizer = ErrorFixes.normalizer(g);
        g.compiler = new ErrorTailcallCompiler(LuajCompilerAccess.INSTANCE);
        g.loader = LuaC.instance;
        g.undumper = null;                              // no binary chunks, ever
        g.STDOUT = null;
        g.STDERR = null;
        g.STDIN = null;
        g.finder = null;
        prune(g);
        this.globals = g;
        // One VM thread at a time; it ends after 30 s idle so a sandbox that is never closed leaks no thread.
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(null, r, "quire-lua-exec-" + THREADS.incrementAndGet(), STACK_BYTES);
                    t.setDaemon(true);
                    vmThread = t;
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    /** A fresh execute VM with the given default limits (null: {@link SandboxLimits#DEFAULTS}). */
    public static ExecSandbox create(SandboxLimits limits) {
        return new ExecSandbox(limits);
    }

    public SandboxLimits limits() { return limits; }

    private void prune(Globals g) {
        LuaValue k = LuaValue.NIL;
        java.util.List<LuaValue> remove = new java.util.ArrayList<>();
        while (true) {
            Varargs e = g.next(k);
            k = e.arg1();
            if (k.isnil()) break;
            if (!(k.isstring() && (SAFE_GLOBALS.contains(k.tojstring()) || hostGlobals.contains(k.tojstring()))))
                remove.add(k);
        }
        for (LuaValue r : remove) g.rawset(r, LuaValue.NIL);
    }

    /** Makes {@code value} (a {@link HostFunction} or a table of them and plain data) a global of every later run. */
    public void registerGlobal(String name, LuaValue value) {
        checkNoJavaObjects(name, value, 0);
        synchronized (hostGlobals) {
            hostGlobals.add(name);
            globals.rawset(name, value);
        }
    }

    /** Makes {@code require(name)} return {@code module}. */
    public void registerModule(String name, LuaValue module) {
        checkNoJavaObjects(name, module, 0);
        synchronized (modules) {
            modules.put(name, module);
        }
    }

    static void checkNoJavaObjects(String where, LuaValue v, int depth) {
        if (v instanceof LuaUserdata)
            throw new IllegalArgumentException("'" + where + "' holds a Java object; host values must be plain Lua values");
        if (v instanceof LuaTable t && depth < 4) {
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs e = t.next(k);
                k = e.arg1();
                if (k.isnil()) break;
                checkNoJavaObjects(where + "." + k.tojstring(), e.arg(2), depth + 1);
                checkNoJavaObjects(where + "[key]", k, depth + 1);
            }
        }
    }

    /**
     * The redaction applied to the raw text of every script value this VM renders into a message (the strings of
     * an error table), before that text is escaped or cut: a secret is only recognisable while whole and unescaped.
     * Set by the run once its secrets are known; null resets to none.
     */
    public void setRedaction(UnaryOperator<String> redaction) {
        this.redaction = redaction == null ? UnaryOperator.identity() : redaction;
    }

    /**
     * Charges what this VM's runs allocate to {@code pool}, shared with the other jobs of the same run, instead of
     * a pool of its own per run (null: back to a pool of its own).
     */
    public void setAllocationPool(RunLuaBudget pool) {
        this.allocationPool = pool;
    }

    /** Receives (host function name, exception) for every exception a host function hid from the script. */
    public void setHostErrorListener(BiConsumer<String, Throwable> listener) {
        this.hostErrorListener = listener;
    }

    void reportHostError(String name, Throwable e) {
        BiConsumer<String, Throwable> l = hostErrorListener;
        try {
            (l != null ? l : defaultListener).accept(name, e);
        } catch (RuntimeException ignored) {
            LOG.log(Level.WARNING, "host error listener failed", ignored);
        }
    }

    /** The globals table of this VM (for hosts building values; do not hand it to other VMs). */
    public Globals globals() { return globals; }

    private final class Require extends VarArgFunction {
        Require() { name = "require"; }

        @Override
        public Varargs invoke(Varargs args) {
            String n = args.checkjstring(1);
            LuaValue m;
            synchronized (modules) {
                m = modules.get(n);
            }
            if (m == null) throw new LuaError("module '" + n + "' not found");
            return m;
        }
    }

    private int mapLine(String chunk, int luaLine) {
        IntUnaryOperator m = sourceMaps.get(chunk);
        if (m == null || luaLine <= 0) return luaLine;
        for (int l = luaLine; l >= 1; l--) {     // an unmapped line takes the nearest mapped line above it
            int s;
            try {
                s = m.applyAsInt(l);
            } catch (RuntimeException e) {
                s = 0;
            }
            if (s > 0) return s;
        }
        return luaLine;
    }

    /**
     * Loads and runs {@code lua} as chunk {@code chunkName} (e.g. "ci.fnl") under a fresh budget of
     * this VM's limits. {@code luaToSource} maps a Lua line to the source line (0 = unknown; null =
     * identity); all messages are located with it.
     */
    public Varargs execute(String lua, String chunkName, IntUnaryOperator luaToSource) throws ScriptException {
        if (luaToSource != null) sourceMaps.put(chunkName, luaToSource);
        else sourceMaps.remove(chunkName);
        return run(limits, () -> {
            LuaValue f;
            try {
                f = globals.load(lua, "@" + chunkName);
            } catch (LuaError e) {
                throw new LocatedError(compileMessage(e.getMessage(), chunkName));
            }
            return ErrorFixes.protectedCall(globals, f, LuaValue.NONE);
        });
    }

    /**
     * Parses {@code lua} once, on this VM's thread (its parser recurses deeply) and under this VM's limits, into a
     * chunk that this and other sandboxes can run with {@link #execute(LuaChunk)}. Errors are located as
     * {@link #execute(String, String, IntUnaryOperator)} locates them.
     */
    public LuaChunk compile(String lua, String chunkName, IntUnaryOperator luaToSource) throws ScriptException {
        if (luaToSource != null) sourceMaps.put(chunkName, luaToSource);
        else sourceMaps.remove(chunkName);
        java.util.concurrent.atomic.AtomicReference<org.luaj.vm2.Prototype> parsed = new java.util.concurrent.atomic.AtomicReference<>();
        run(limits, () -> {
            try {
                parsed.set(globals.compilePrototype(new java.io.StringReader(lua), "@" + chunkName));
            } catch (LuaError e) {
                throw new LocatedError(compileMessage(e.getMessage(), chunkName));
            }
            return LuaValue.NONE;
        });
        return new LuaChunk(parsed.get(), chunkName, luaToSource);
    }

    /** Runs a fresh closure of {@code chunk} as this VM's main chunk under a fresh budget of this VM's limits. */
    public Varargs execute(LuaChunk chunk) throws ScriptException {
        if (chunk.sourceMap() != null) sourceMaps.put(chunk.chunkName(), chunk.sourceMap());
        else sourceMaps.remove(chunk.chunkName());
        return run(limits, () -> ErrorFixes.protectedCall(globals, new org.luaj.vm2.LuaClosure(chunk.instance(), globals),
                LuaValue.NONE));
    }

    private String compileMessage(String msg, String chunkName) {
        if (msg == null) return chunkName + ": syntax error";
        String m = msg.startsWith("@") ? msg.substring(1) : msg;
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("^([^:\\s]+):(\\d+): (.*)$", java.util.regex.Pattern.DOTALL).matcher(m);
        if (x.matches()) return x.group(1) + ":" + mapLine(x.group(1), Integer.parseInt(x.group(2))) + ": " + x.group(3);
        return m;
    }

    /** Calls {@code fn} (a function of this VM) with {@code args} under a fresh budget of {@code budget}; blocks until done. */
    public Varargs call(LuaValue fn, Varargs args, SandboxLimits budget) throws ScriptException {
        if (args != null)
            for (int i = 1; i <= args.narg(); i++) checkNoJavaObjects("argument #" + i, args.arg(i), 0);
        return run(budget == null ? limits : budget,
                () -> ErrorFixes.protectedCall(globals, fn, args == null ? LuaValue.NONE : args));
    }

    /** From inside a {@link HostFunction}: the source line of the innermost calling Lua frame, 0 if unknown. */
    public int currentSourceLine() {
        if (Thread.currentThread() != vmThread) return 0;
        return hook.currentSourceLine();
    }

    /**
     * Stops the running execute/call at its next instruction with kind ABORTED and {@code reason};
     * also interrupts a host function blocked in Java. Any thread. No effect when nothing runs.
     */
    public void abort(String reason) {
        if (!running) return;
        String why = reason == null ? "aborted" : reason;
        pendingAbort = why;                      // seen by a run that has not armed its budget yet
        hook.cancel(BudgetExceeded.Kind.ABORTED, why);
        Thread t = vmThread;
        if (t != null) t.interrupt();
    }

    /**
     * Stops the running execute/call as {@link #abort} does, and every later one before it starts (a job's VM once
     * its job is aborted). Any thread.
     */
    public void abortAllRuns(String reason) {
        stickyAbort = reason == null ? "aborted" : reason;
        abort(reason);
    }

    @Override
    public void close() {
        Thread t = vmThread;
        if (running) abort("sandbox closed");
        executor.shutdownNow();
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Varargs run(SandboxLimits budget, Callable<Varargs> body) throws ScriptException {
        synchronized (runLock) {
            return runLocked(budget, body);
        }
    }

    private Varargs runLocked(SandboxLimits budget, Callable<Varargs> body) throws ScriptException {
        if (Thread.currentThread() == vmThread)
            throw new IllegalStateException("execute/call cannot be nested inside a host function of the same sandbox");
        if (broken) throw new ScriptException(ScriptException.Kind.ERROR, "the Lua VM is unusable after an earlier run did not stop", null);
        if (executor.isShutdown()) throw new IllegalStateException("sandbox is closed");
        pendingAbort = null;
        running = true;
        Future<Varargs> f = executor.submit(() -> onVmThread(budget, body));
        try {
            boolean cancelled = false;
            long cancelledAt = 0;
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!cancelled && hook.overdue(2000)) {       // stuck inside one Java call, burning CPU
                        hook.cancel(BudgetExceeded.Kind.LIMIT, "CPU time limit exceeded (" + budget.cpuTimeMillis() + " ms)");
                        Thread t = vmThread;
                        if (t != null) t.interrupt();
                        cancelled = true;
                        cancelledAt = System.nanoTime();
                    } else if (cancelled && System.nanoTime() - cancelledAt > 10_000_000_000L) {
                        broken = true;
                        throw new ScriptException(ScriptException.Kind.LIMIT,
                                "CPU time limit exceeded (" + budget.cpuTimeMillis() + " ms); the Lua thread did not stop", null);
                    }
                }
            }
        } catch (InterruptedException e) {
            abort("interrupted");
            Thread.currentThread().interrupt();
            throw new ScriptException(ScriptException.Kind.ABORTED, "interrupted", null);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ScriptException se) throw se;
            LOG.log(Level.WARNING, "Lua run failed unexpectedly", c);
            throw new ScriptException(ScriptException.Kind.ERROR, "internal error (" + c.getClass().getSimpleName() + ")", null);
        } finally {
            running = false;
        }
    }

    private Varargs onVmThread(SandboxLimits budget, Callable<Varargs> body) throws ScriptException {
        Thread.interrupted();
        hardenStatics();
        CURRENT_STRING.set(stringTable);
        CURRENT_VM.set(this);
        normalizer.clear();
        hook.arm(budget, allocationPool);
        String abortedEarly = pendingAbort != null ? pendingAbort : stickyAbort;
        if (abortedEarly != null) hook.cancel(BudgetExceeded.Kind.ABORTED, abortedEarly);
        try {
            return body.call();
        } catch (BudgetExceeded e) {
            ScriptException.Kind k = e.kind() == BudgetExceeded.Kind.ABORTED ? ScriptException.Kind.ABORTED : ScriptException.Kind.LIMIT;
            String msg = e.location() != null ? e.location() + ": " + e.getMessage() : e.getMessage();
            throw new ScriptException(k, msg, hook.trippedTraceback());
        } catch (LuaError e) {
            LuaValue o = ErrorFixes.errorValue(e);
            String msg = o.type() == LuaValue.TSTRING ? LuaText.lenient(o)
                    : o.type() == LuaValue.TNUMBER ? ErrorObjects.describe(o)
                    : "error object: " + ErrorObjects.describe(o, redaction);
            // a value that is not a string carries no position: say where it was raised
            String where = o.type() == LuaValue.TSTRING ? null : normalizer.lastLocation();
            if (where != null && !where.endsWith(":?")) msg = where + ": " + msg;
            String tb = msg.equals(normalizer.lastMessage()) || o.type() != LuaValue.TSTRING ? normalizer.lastTraceback() : null;
            throw new ScriptException(ScriptException.Kind.ERROR, msg, tb);
        } catch (StackOverflowError e) {
            throw new ScriptException(ScriptException.Kind.LIMIT, "stack overflow", null);
        } catch (OutOfMemoryError e) {
            throw new ScriptException(ScriptException.Kind.LIMIT, "memory limit exceeded (JVM out of memory)", null);
        } catch (ScriptException e) {
            throw e;
        } catch (Exception e) {
            reportHostError("lua", e);
            throw new ScriptException(ScriptException.Kind.ERROR, "internal error (" + e.getClass().getSimpleName() + ")", null);
        } finally {
            hook.disarm();
            CURRENT_STRING.remove();
            CURRENT_VM.remove();
            Thread.interrupted();
        }
    }
}
