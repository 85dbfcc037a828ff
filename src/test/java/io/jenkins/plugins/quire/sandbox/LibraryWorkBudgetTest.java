package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * Library calls that do a lot of work inside one Lua instruction (a gsub replacement of 4000
 * {@code %0}, tonumber of 300,000 digits, sorting or comparing long strings, a 300,000-character
 * set, shifting a long list) must be charged to the instruction budget: the run stops with
 * "instruction limit exceeded" at the script's line (only the instruction counter produces that
 * message, never the clock), and the same VM and other VMs stay usable.
 */
class LibraryWorkBudgetTest {

    /** Few instructions, a generous clock: an uncharged call ends as a time limit (or a stuck thread), not this. */
    private static final SandboxLimits FEW = SandboxLimits.DEFAULTS.withMaxInstructions(2_000_000).withCpuTimeMillis(20_000);

    /** Runs {@code lua} and then a small script in the same VM; returns the first outcome. */
    private static Outcome runThenReuse(String lua) {
        try (ExecSandbox vm = ExecSandbox.create(FEW)) {
            vm.registerGlobal("allocated", new Allocated());
            Outcome o = SandboxRunner.execute(vm, lua, "ci.lua", null);
            Outcome after = SandboxRunner.execute(vm, "return ('ok'):upper()", "ci.lua", null);
            assertEquals("OK", after.value(), "the VM is usable after " + o + ": " + after);
            return o;
        }
    }

    private static void assertInstructionLimitAt(int line, Outcome o) {
        assertEquals("limit", o.status(), o.toString());
        assertEquals("ci.lua:" + line + ": instruction limit exceeded (2000000)", o.error());
        assertEquals("ok", SandboxRunner.run("return 1 + 1").status(), "an independent VM works");
    }

    /** Bytes allocated so far by the calling (VM) thread: a work counter, not a clock. */
    static final class Allocated extends HostFunction {
        Allocated() { super("allocated"); }

        @Override
        protected Varargs call(ExecSandbox vm, Varargs args) {
            com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            return LuaValue.valueOf((double) b.getCurrentThreadAllocatedBytes());
        }
    }

    @Test
    void gsubRefusesAHugeReplacementBeforeBuildingIt() {
        Outcome o = runThenReuse("local s = ('a'):rep(1e5)\n"
                + "local before = allocated()\n"
                + "local ok, err = pcall(string.gsub, s, '.*', ('%0'):rep(4000))\n"
                + "return (allocated() - before) .. ' ' .. tostring(err)");
        assertEquals("ok", o.status(), o.toString());
        String[] r = o.value().split(" ", 2);
        assertTrue(r[1].endsWith("resulting string too large"), o.value());
        assertTrue(Double.parseDouble(r[0]) < (32 << 20), "a 400 MB replacement was built: " + o.value());
    }

    @Test
    void threeHugeGsubsAtOnceFailCleanlyAndANeighbourStillRuns() throws Exception {
        String bomb = "local s = ('a'):rep(1e6)\nlocal r = s:gsub('.*', ('%0'):rep(4000))\nreturn #r";
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Outcome>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) all.add(pool.submit(() -> {
                start.await();
                return SandboxRunner.run(bomb);
            }));
            start.countDown();
            for (Future<Outcome> f : all) {
                Outcome o = f.get(60, TimeUnit.SECONDS);
                assertEquals("ci.lua:2: resulting string too large", o.error(), o.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("3", SandboxRunner.run("return #('abc'):gsub('x', '%0%0')").value());
    }

    @Test
    void tonumberOfAHugeDigitStringIsChargedAndLinear() {
        assertEquals("inf", SandboxRunner.run("local n = tonumber(('1'):rep(300000)) return n == math.huge and 'inf' or tostring(n)").value());
        assertInstructionLimitAt(3, runThenReuse("local s = ('1'):rep(300000) .. 'x'\nfor i = 1, 1e6 do\nlocal n = tonumber(s)\nend"));
    }

    @Test
    void sortingLongStringsIsCharged() {
        assertInstructionLimitAt(3, runThenReuse("local big = ('a'):rep(2^21)\nlocal t = {} for i = 1, 40 do t[i] = big .. (i % 7) end\n"
                + "for r = 1, 1e6 do table.sort(t) end"));
        assertEquals("a,b,c", SandboxRunner.run("local t = {'c', 'a', 'b'} table.sort(t) return table.concat(t, ',')").value());
        assertEquals("c,b,a", SandboxRunner.run("local t = {'c', 'a', 'b'} table.sort(t, function(x, y) return x > y end) return table.concat(t, ',')").value());
    }

    @Test
    void comparingLongStringsIsCharged() {
        assertInstructionLimitAt(3, runThenReuse("local big = ('a'):rep(2^21)\nlocal a, b = big .. 'x', big .. 'x'\n"
                + "for i = 1, 1e7 do local e = a == b end"));
        assertInstructionLimitAt(3, runThenReuse("local big = ('a'):rep(2^21)\nlocal a, b = big .. 'x', big .. 'y'\n"
                + "for i = 1, 1e7 do local e = a < b end"));
        assertInstructionLimitAt(3, runThenReuse("local big = ('a'):rep(2^21)\nlocal a, b = big .. 'x', big .. 'x'\n"
                + "for i = 1, 1e7 do local e = rawequal(a, b) end"));
    }

    @Test
    void aHugeCharacterSetIsCharged() {
        assertInstructionLimitAt(3, runThenReuse("local set = '[' .. ('a'):rep(300000) .. ']'\nlocal s = ('b'):rep(1e6)\nreturn s:find(set)"));
    }

    @Test
    void aLongRunOfAStarIsChargedPerCall() {
        assertInstructionLimitAt(3, runThenReuse("local s = ('a'):rep(2^23)\nfor i = 1, 1e6 do\nlocal m = s:match('a*', 2)\nend"));
    }

    @Test
    void shiftingALongListIsCharged() {
        assertInstructionLimitAt(3, runThenReuse("local t = {} for i = 1, 3e5 do t[i] = i end\nfor i = 1, 1e6 do\ntable.insert(t, 1, i)\nend"));
        assertInstructionLimitAt(3, runThenReuse("local t = {} for i = 1, 3e5 do t[i] = i end\nfor i = 1, 1e6 do\nlocal x = table.remove(t, 1) t[#t + 1] = x\nend"));
        assertEquals("0,1,2,3", SandboxRunner.run("local t = {1, 2} table.insert(t, 1, 0) table.insert(t, 3) return table.concat(t, ',')").value());
    }

    @Test
    void repeatingTheEmptyStringCostsNothing() {
        assertInstructionLimitAt(2, runThenReuse("for i = 1, 1e7 do\nlocal r = (''):rep(2^31, '')\nend"));
    }
}
