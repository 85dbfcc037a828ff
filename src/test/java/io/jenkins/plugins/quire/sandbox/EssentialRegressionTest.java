package io.jenkins.plugins.quire.sandbox;

import static io.jenkins.plugins.quire.sandbox.SandboxRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JsePlatform;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/** The "Essential regression assertions" for the execute VM (docs/security.md), plus the debug.sethook defeat. */
class EssentialRegressionTest {

    @Test
    void stringMetatableIsHiddenFrozenAndPerRun() {
        assertEquals("false", run("return tostring(getmetatable(''))").value());
        assertEquals("error", run("getmetatable('').__index.upper = function() return 'X' end").status());
        assertEquals("ABC", run("return ('abc'):upper()").value());
    }

    @Test
    void budgetCannotBeCaughtByPcall() {
        assertEquals("limit", run("while true do pcall(function() while true do end end) end").status());
    }

    @Test
    void javaLevelPatternWorkIsCharged() {
        assertEquals("limit", run("return string.find(('a'):rep(28), ('a*'):rep(28)..'b')").status());
    }

    @Test
    void memoryBombsAreLuaErrorsNotJvmOutOfMemory() {
        assertTrue(run("local s='x' for i=1,40 do s=s..s end").error().contains("string length overflow"));
        assertTrue(run("return ('x'):rep(1e9)").error().contains("too large"));
    }

    @Test
    void recursionIsAStackOverflowError() {
        assertTrue(run("local function f() return 1+f() end return f()").error().contains("stack overflow"));
    }

    @Test
    void noHostTextLeaks() {
        Outcome o = run("local ok,e = pcall(sh,{'boom'}) return e");
        assertEquals("ok", o.status());
        assertFalse(o.value().contains("hunter2"), o.value());
    }

    @Test
    void staticsAreResetBeforeEveryRun() throws Exception {
        Globals debugVm = JsePlatform.debugGlobals();
        debugVm.load("debug.setmetatable(print, {__index = function() return 'hijacked' end})"
                + " debug.setmetatable(1, {__index = function() return 'num' end})").call();
        assertNotNull(org.luaj.vm2.LuaFunction.s_metatable, "precondition: a debug VM changed the function metatable");
        assertEquals("ci.lua:1: attempt to index a function value (global 'sh')", run("return sh.x").error());
        assertEquals("ci.lua:1: attempt to index a number value", run("return (1).x").error());
    }

    @Test
    void sharedStringMetatableRefusesChangesEvenFromAFullDebugVm() {
        Globals debugVm = JsePlatform.debugGlobals();
        ExecSandbox.hardenStatics();
        LuaError e = org.junit.jupiter.api.Assertions.assertThrows(LuaError.class,
                () -> debugVm.load("debug.getmetatable('').__index = {upper = function() return 'X' end}").call());
        assertTrue(e.getMessage().contains("attempt to modify a read-only table"), e.getMessage());
        debugVm.load("debug.setmetatable('', {__index = {upper = function() return 'PWNED' end}})").call();
        assertEquals("PWNED", debugVm.load("return ('abc'):upper()").call().tojstring(), "precondition: the static was replaced");
        assertEquals("ABC", run("return ('abc'):upper()").value(), "hardenStatics() restores the frozen metatable before a run");
    }

    /** Stock LuaJ: a LuaError-raising debug.sethook limit is swallowed by pcall; our budget is not. */
    @Test
    void debugSethookLimitIsDefeatedByPcallButBudgetHookIsNot() throws Exception {
        Globals stock = JsePlatform.debugGlobals();
        AtomicInteger hookErrors = new AtomicInteger();
        long start = System.nanoTime();
        stock.set("limit", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > 1500) throw new StopStock();          // test-only escape hatch: a Java Error
                if (ms > 200) {
                    hookErrors.incrementAndGet();
                    throw new LuaError("timeout");
                }
                return NONE;
            }
        });
        AtomicReference<Throwable> end = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                stock.load("debug.sethook(limit, '', 1000) while true do pcall(function() while true do end end) end").call();
            } catch (Throwable e) {
                end.set(e);
            }
        });
        t.setDaemon(true);
        t.start();
        t.join(10_000);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(end.get() instanceof StopStock, "stock run ended by " + end.get());
        assertTrue(hookErrors.get() > 0, "the stock hook raised timeouts");
        assertTrue(ms >= 1500, "the stock script kept running after its 200 ms timeout: " + ms + " ms");
        Outcome ours = run("while true do pcall(function() while true do end end) end");
        assertEquals("limit", ours.status());
    }

    static final class StopStock extends Error {
        private static final long serialVersionUID = 1L;
    }
}
