package io.jenkins.plugins.quire.sandbox;

import java.lang.management.ManagementFactory;

import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The budget of one Lua VM. LuaJ calls a Globals' {@code debuglib} on every instruction, call and
 * return of every closure loaded with that Globals, so this host-only {@link DebugLib} subclass
 * (never exposed as a {@code debug} table) counts instructions, checks the Lua thread's CPU time (not wall
 * clock: a job waiting for a core is not charged), allocated bytes (charged to the run's shared
 * {@link RunLuaBudget} and given back at {@link #disarm}), call depth and concatenation sizes, charges comparisons of long strings, and keeps a cheap frame stack used for
 * error positions and tracebacks. Limits throw {@link BudgetExceeded} (an Error: pcall cannot catch
 * it) and are sticky. It also turns tail calls to Java functions into plain calls so errors raised
 * by them keep a position.
 *
 * <p>Usage: {@code hook.install(globals)}, then on the thread that runs Lua {@code hook.arm(limits)}
 * ... {@code hook.disarm()}.
 */
public class BudgetHook extends DebugLib {
    private static final ThreadLocal<BudgetHook> CURRENT = new ThreadLocal<>();
    private static final com.sun.management.ThreadMXBean TMX = threadBean();
    private static final boolean CPU_CLOCK = cpuClock();
    private static final int CHECK_EVERY = 4096;
    private static final int OP_CALL = 29, OP_TAILCALL = 30, OP_CONCAT = 22;
    private static final int TSTRING = LuaValue.TSTRING;

    private volatile SandboxLimits limits;
    private volatile LineMapper lineMapper = LineMapper.IDENTITY;
    private volatile String tripped;
    private volatile BudgetExceeded.Kind trippedKind;
    private volatile String trippedAt;
    private volatile Tracebacks.Frame[] trippedFrames;
    private volatile boolean armed;
    private volatile Thread thread;

    private long count;
    private long nextCheck;
    private volatile long cpuEnd;
    private long allocStart;
    private long bytesBuilt;
    private long allocatedSeen;
    private RunLuaBudget pool;
    private boolean sharedPool;
    private long pooledCharge;
    private volatile int hostNesting;
    private long pausedAtCpu;
    private long pausedAtAlloc;

    private Prototype[] protos = new Prototype[32];
    private int[] pcs = new int[32];
    private LuaValue[][] stacks = new LuaValue[32][];
    private int depth;

    public BudgetHook(SandboxLimits limits) {
        this.limits = limits == null ? SandboxLimits.DEFAULTS : limits;
    }

    /** Makes this hook the budget of every closure loaded with {@code g}; adds no {@code debug} table. */
    public void install(Globals g) {
        g.debuglib = this;
    }

    /** The hook armed on the calling thread, or null. String functions use it to charge their work. */
    public static BudgetHook current() {
        return CURRENT.get();
    }

    public SandboxLimits limits() { return limits; }

    /** How positions in limit messages are mapped back to the user's source. */
    public void setLineMapper(LineMapper mapper) { this.lineMapper = mapper == null ? LineMapper.IDENTITY : mapper; }

    public LineMapper lineMapper() { return lineMapper; }

    /** Starts a fresh budget on the calling thread with a memory pool of its own (counters reset, CPU time from now). */
    public void arm(SandboxLimits newLimits) {
        arm(newLimits, null);
    }

    /**
     * Starts a fresh budget on the calling thread whose allocations are charged to {@code sharedPool} (null: a pool
     * of its own of the limits' {@code maxAllocBytes}) until {@link #disarm}.
     */
    public void arm(SandboxLimits newLimits, RunLuaBudget sharedPool) {
        if (newLimits != null) this.limits = newLimits;
        SandboxLimits l = this.limits;
        thread = Thread.currentThread();
        count = 0;
        nextCheck = CHECK_EVERY;
        long ms = l.cpuTimeMillis();
        cpuEnd = ms > 0 ? cpuNow() + ms * 1_000_000L : Long.MAX_VALUE;
        allocStart = allocatedBytes();
        bytesBuilt = 0;
        allocatedSeen = 0;
        this.pool = sharedPool != null ? sharedPool : new RunLuaBudget(l.maxAllocBytes());
        this.sharedPool = sharedPool != null;
        pooledCharge = 0;
        hostNesting = 0;
        depth = 0;
        tripped = null;
        trippedKind = null;
        trippedAt = null;
        trippedFrames = null;
        CURRENT.set(this);
        armed = true;
    }

    /** Ends the budget on the calling thread. */
    public void disarm() {
        armed = false;
        RunLuaBudget p = pool;
        if (p != null && pooledCharge != 0) p.add(-pooledCharge);   // the job's memory goes back to the run
        pooledCharge = 0;
        CURRENT.remove();
        depth = 0;
        java.util.Arrays.fill(stacks, null);
        java.util.Arrays.fill(protos, null);
    }

    public boolean isArmed() { return armed; }

    /** Instructions (and pattern steps) charged since {@link #arm}. */
    public long instructions() { return count; }

    /** Stops the armed run at its next instruction (from any thread) with kind ABORTED. */
    public void cancel(String why) {
        cancel(BudgetExceeded.Kind.ABORTED, why);
    }

    public void cancel(BudgetExceeded.Kind kind, String why) {
        if (tripped == null) {
            trippedKind = kind;
            tripped = why;
        }
    }

    /** Mapped traceback of where the run was stopped by a limit or abort, or null. */
    public String trippedTraceback() {
        Tracebacks.Frame[] f = trippedFrames;
        return f == null || f.length == 0 ? null : Tracebacks.render(f, lineMapper);
    }

    /** The reason a limit or abort stopped this run, or null. */
    public String trippedReason() { return tripped; }

    /** Throws the sticky error if the run was stopped. */
    public void checkTripped() {
        String t = tripped;
        if (t == null) return;
        if (trippedFrames == null && Thread.currentThread() == thread) {   // first sight on the VM thread
            trippedFrames = snapshot();
            if (trippedAt == null) trippedAt = location();
        }
        throw new BudgetExceeded(trippedKind, t, trippedAt);
    }

    private void trip(String why) {
        if (tripped == null) {
            trippedAt = location();
            trippedKind = BudgetExceeded.Kind.LIMIT;
            tripped = why;
        }
        checkTripped();
    }

    /** Charges {@code units} instructions' worth of work (also used per pattern-matching step). */
    public void charge(long units) {
        if (tripped != null) checkTripped();
        if (!armed) return;
        count += units;
        SandboxLimits l = limits;
        if (l.maxInstructions() > 0 && count > l.maxInstructions())
            trip("instruction limit exceeded (" + l.maxInstructions() + ")");
        if (count >= nextCheck) {
            nextCheck = count + CHECK_EVERY;
            periodicCheck(l);
        }
    }

    private void periodicCheck(SandboxLimits l) {
        if (hostNesting > 0) return;
        if (cpuNow() > cpuEnd)
            trip("CPU time limit exceeded (" + l.cpuTimeMillis() + " ms)");
        allocatedSeen = Math.max(allocatedSeen, allocatedBytes() - allocStart);
        chargePool();
    }

    /**
     * Brings this job's charge in the pool up to what it used (the larger of the bytes its thread allocated and the
     * string bytes it built: the latter are counted before they are allocated) and trips when the pool is over.
     */
    private void chargePool() {
        RunLuaBudget p = pool;
        if (p == null) return;
        long mine = Math.max(allocatedSeen, bytesBuilt);
        long delta = mine - pooledCharge;
        if (delta <= 0) return;
        pooledCharge = mine;
        long total = p.add(delta);
        long max = p.maxAllocBytes();
        if (max > 0 && total > max) trip(memoryMessage(total, mine, max));
    }

    private String memoryMessage(long total, long mine, long max) {
        if (!sharedPool) {
            return "memory limit exceeded (" + (mine >> 20) + " MiB "
                    + (bytesBuilt >= allocatedSeen ? "of strings built" : "allocated") + ")";
        }
        return "memory limit exceeded (" + (total >> 20) + " MiB allocated by the run's running jobs together, "
                + (mine >> 20) + " MiB by this one; the run's limit is " + (max >> 20) + " MiB)";
    }

    /** Charges bytes built inside one library call (string results), where the periodic check cannot see them. */
    public void chargeBytes(long bytes) {
        if (tripped != null) checkTripped();
        if (!armed) return;
        bytesBuilt += bytes;
        chargePool();
    }

    /** Fails with "resulting string too large" if a string of {@code length} bytes would exceed the limit; charges it otherwise. */
    public static void checkStringSize(long length) {
        BudgetHook h = current();
        int max = h != null ? h.limits.maxStringBytes() : SandboxLimits.DEFAULTS.maxStringBytes();
        if (length < 0 || length > max) throw new LuaError("resulting string too large");
        if (h != null) h.chargeBytes(16 + 2 * length);
    }

    /** Host code starts: the CPU clock and the allocation counter pause until {@link #exitHost}. */
    public void enterHost() {
        if (!armed) return;
        if (hostNesting++ == 0) {
            pausedAtCpu = cpuNow();
            pausedAtAlloc = allocatedBytes();
        }
    }

    /** Host code ends: the paused time and host allocations are not charged to the script. */
    public void exitHost() {
        if (!armed || hostNesting == 0) return;
        if (--hostNesting == 0) {
            long paused = cpuNow() - pausedAtCpu;
            if (cpuEnd != Long.MAX_VALUE) cpuEnd += paused;
            allocStart += allocatedBytes() - pausedAtAlloc;
        }
        checkTripped();
    }

    /**
     * True if the armed run is outside host code and its thread has used more than {@code graceMillis} of CPU time
     * beyond its budget (for watchdogs on other threads: a thread that merely waits for a core is never overdue).
     */
    public boolean overdue(long graceMillis) {
        long end = cpuEnd;
        Thread t = thread;
        if (!armed || hostNesting > 0 || end == Long.MAX_VALUE || t == null) return false;
        long now = cpuOf(t);
        return now >= 0 && now - end > graceMillis * 1_000_000L;
    }

    /** Whether a host function is running on the VM thread right now. */
    public boolean inHost() { return hostNesting > 0; }

    /** The thread the budget is armed on (null before the first {@link #arm}). */
    public Thread thread() { return thread; }

    // ---- LuaJ callbacks -------------------------------------------------------------------

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        if (tripped != null) checkTripped();
        SandboxLimits l = limits;
        if (depth >= l.maxCallDepth())
            throw new LuaError("stack overflow (more than " + l.maxCallDepth() + " nested calls)");
        push(c.p, stack);
    }

    @Override
    public void onCall(LuaFunction f) {
        if (tripped != null) checkTripped();
        push(null, null);
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            depth--;
            protos[depth] = null;
            stacks[depth] = null;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        charge(1);
        if (depth == 0) return;
        int d = depth - 1;
        pcs[d] = pc;
        Prototype p = protos[d];
        if (p == null) return;
        int i = p.code[pc];
        int op = i & 0x3f;
        if (op == OP_TAILCALL) {
            LuaValue[] st = stacks[d];
            int a = (i >>> 6) & 0xff;
            LuaValue fn = st != null && a < st.length ? st[a] : null;
            // LuaJ runs tail calls after popping the frame: errors raised by a Java callee would lose
            // their position. Lua-to-Lua tail calls keep proper tail calls.
            if (fn != null && !(fn instanceof LuaClosure)) {
                if (fn.isfunction()) p.code[pc] = (i & ~0x3f) | OP_CALL;
                else if (fn.metatag(LuaValue.CALL).isnil())   // raise it here, while the frame still exists
                    throw new LuaError("attempt to call " + fn.typename());
            }
        } else if (op == OP_CONCAT) {
            int b = (i >>> 23) & 0x1ff, c = (i >>> 14) & 0x1ff;
            LuaValue[] st = stacks[d];
            if (st == null) return;
            long total = 0;
            for (int r = b; r <= c && r < st.length; r++) {
                LuaValue x = st[r];
                if (x != null && x.type() == TSTRING) total += x.rawlen();
            }
            if (total > limits.maxStringBytes())
                throw new LuaError("string length overflow (concatenation of " + total + " bytes)");
            chargeBytes(total);
        } else if (op == Lua.OP_EQ || op == Lua.OP_LT || op == Lua.OP_LE) {
            LuaValue[] st = stacks[d];
            if (st != null) chargeComparison(rk(p, st, (i >>> 23) & 0x1ff), rk(p, st, (i >>> 14) & 0x1ff), op == Lua.OP_EQ);
        } else if (op == Lua.OP_GETTABLE || op == Lua.OP_GETTABUP || op == Lua.OP_SELF) {
            LuaValue[] st = stacks[d];
            if (st != null) chargeKey(rk(p, st, (i >>> 14) & 0x1ff));
        } else if (op == Lua.OP_SETTABLE || op == Lua.OP_SETTABUP) {
            LuaValue[] st = stacks[d];
            if (st != null) chargeKey(rk(p, st, (i >>> 23) & 0x1ff));
        }
    }

    /** Register or constant operand {@code x} of an instruction (null when out of range). */
    private static LuaValue rk(Prototype p, LuaValue[] st, int x) {
        if ((x & 0x100) != 0) {
            int k = x & 0xff;
            return k < p.k.length ? p.k[k] : null;
        }
        return x < st.length ? st[x] : null;
    }

    /**
     * {@code ==}, {@code <} and {@code <=} on two long strings compare them byte by byte inside one
     * instruction (16 MB each time): charge one instruction per 16 bytes they may compare.
     */
    private void chargeComparison(LuaValue x, LuaValue y, boolean equality) {
        if (x instanceof LuaString a && y instanceof LuaString b) {
            if (equality && a.m_length != b.m_length) return;
            int n = Math.min(a.m_length, b.m_length);
            if (n >= 256) charge(n >> 4);
        }
    }

    /** A long string key is compared byte by byte with every same-hash key in its bucket: charge it. */
    private void chargeKey(LuaValue key) {
        if (key instanceof LuaString s && s.m_length >= 256) charge(s.m_length >> 4);
    }

    @Override
    public String traceback(int level) {
        return Tracebacks.render(snapshot(), lineMapper);
    }

    // ---- frame stack ----------------------------------------------------------------------

    private void push(Prototype p, LuaValue[] stack) {
        if (depth == protos.length) {
            int n = depth * 2;
            protos = java.util.Arrays.copyOf(protos, n);
            pcs = java.util.Arrays.copyOf(pcs, n);
            stacks = java.util.Arrays.copyOf(stacks, n);
        }
        protos[depth] = p;
        pcs[depth] = 0;
        stacks[depth] = stack;
        depth++;
    }

    /** Number of frames (Lua and Java) currently on the stack. */
    public int depth() { return depth; }

    /** Prototype of the frame {@code level} below the top (0 = innermost), or null for a Java frame. */
    public Prototype protoAt(int level) {
        int d = depth - 1 - level;
        return d >= 0 ? protos[d] : null;
    }

    /** Current instruction index of the frame {@code level} below the top. */
    public int pcAt(int level) {
        int d = depth - 1 - level;
        return d >= 0 ? pcs[d] : -1;
    }

    /** Registers of the frame {@code level} below the top, or null. */
    public LuaValue[] registersAt(int level) {
        int d = depth - 1 - level;
        return d >= 0 ? stacks[d] : null;
    }

    /** A copy of the frames, innermost first, for tracebacks. */
    public Tracebacks.Frame[] snapshot() {
        Tracebacks.Frame[] out = new Tracebacks.Frame[depth];
        for (int k = 0; k < depth; k++) {
            int d = depth - 1 - k;
            out[k] = new Tracebacks.Frame(protos[d], pcs[d]);
        }
        return out;
    }

    /** "chunk:line" (mapped) of the innermost Lua frame, or null. */
    public String location() {
        for (int k = 0; k < depth; k++) {
            Prototype p = protoAt(k);
            if (p != null) return Tracebacks.position(p, pcAt(k), lineMapper);
        }
        return null;
    }

    /** The mapped source line of the innermost Lua frame, 0 if none. */
    public int currentSourceLine() {
        for (int k = 0; k < depth; k++) {
            Prototype p = protoAt(k);
            if (p != null) {
                int line = Tracebacks.luaLine(p, pcAt(k));
                return line > 0 ? lineMapper.map(Tracebacks.chunkName(p), line) : 0;
            }
        }
        return 0;
    }

    /** CPU time of the calling thread in ns (wall clock where the JVM cannot measure thread CPU time). */
    private static long cpuNow() {
        return CPU_CLOCK ? TMX.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** CPU time of {@code t} in ns on the same clock as {@link #cpuNow()}; -1 once it has ended. */
    private static long cpuOf(Thread t) {
        if (!CPU_CLOCK) return System.nanoTime();
        return t == Thread.currentThread() ? TMX.getCurrentThreadCpuTime() : TMX.getThreadCpuTime(t.getId());
    }

    private static boolean cpuClock() {
        try {
            if (TMX == null || !TMX.isThreadCpuTimeSupported() || !TMX.isCurrentThreadCpuTimeSupported()) return false;
            if (!TMX.isThreadCpuTimeEnabled()) TMX.setThreadCpuTimeEnabled(true);
            return TMX.getCurrentThreadCpuTime() >= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private long allocatedBytes() {
        if (TMX == null) return 0;
        try {
            return TMX.getCurrentThreadAllocatedBytes();
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        try {
            java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
            if (b instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
                if (!t.isThreadAllocatedMemoryEnabled()) t.setThreadAllocatedMemoryEnabled(true);
                return t;
            }
        } catch (RuntimeException | LinkageError e) {
            // fall through: allocation accounting then relies on chargeBytes only
        }
        return null;
    }
}
