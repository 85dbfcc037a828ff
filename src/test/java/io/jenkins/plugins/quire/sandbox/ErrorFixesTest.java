package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/** Lua 5.2 semantics of pcall, xpcall, error and assert, checked against the real lua5.2 where formats agree. */
class ErrorFixesTest {

    /** Replaces the chunk name of a leading "chunk:N:" so lua5.2's temp-file name and ours compare equal. */
    private static String anyChunk(String s) {
        return s.replaceAll("^[^:\\s]+:(\\d+):", "X:$1:");
    }

    private static void sameAsLua52(String chunk) throws Exception {
        String expected = anyChunk(Lua52.eval(chunk));
        Outcome o = SandboxRunner.run(chunk);
        assertEquals("ok", o.status(), o.toString());
        assertEquals(expected, anyChunk(String.valueOf(o.value())), chunk);
    }

    @Test
    void pcallInsideXpcallIsNotRewrittenByTheOuterHandler() throws Exception {
        sameAsLua52("return select(2, xpcall(function() local ok, e = pcall(error, {}) return type(e) end, function(m) return 'handler:' .. tostring(m) end))");
        sameAsLua52("return select(2, xpcall(function() local ok, e = pcall(error, 'inner', 0) return e end, function(m) return 'handler' end))");
    }

    @Test
    void xpcallHandlerReceivesTheErrorObject() throws Exception {
        sameAsLua52("local t = {} local ok, r = xpcall(function() error(t) end, function(m) return m == t end) return tostring(ok) .. ' ' .. tostring(r)");
    }

    @Test
    void xpcallPassesExtraArguments() throws Exception {
        sameAsLua52("return select(2, xpcall(function(a, b) return a + b end, function(m) return m end, 2, 3))");
    }

    @Test
    void errorLevelZeroHasNoPosition() throws Exception {
        sameAsLua52("local ok, e = pcall(function() error('plain', 0) end) return e");
    }

    @Test
    void errorLevelOneIsTheCallingLine() throws Exception {
        sameAsLua52("local ok, e = pcall(function()\n  error('boom')\nend) return e");
    }

    @Test
    void errorLevelTwoBlamesTheCaller() throws Exception {
        sameAsLua52("local function check(x) if not x then error('need x', 2) end end\nlocal ok, e = pcall(function()\n  check(nil)\nend)\nreturn e");
    }

    @Test
    void assertAddsThePosition() throws Exception {
        sameAsLua52("local ok, e = pcall(function()\n  assert(false, 'm')\nend) return e");
        sameAsLua52("local ok, e = pcall(function()\n  assert(nil)\nend) return e");
        sameAsLua52("return select('#', assert(1, 2, 3))");
    }

    @Test
    void errorObjectsKeepTheirIdentity() throws Exception {
        sameAsLua52("local t = {} local ok, e = pcall(error, t) return tostring(e == t)");
        sameAsLua52("local ok, e = pcall(error) return tostring(e)");
        sameAsLua52("local ok, e = pcall(function() error(42) end) return e");
    }

    @Test
    void caughtMessagesCarryNoTraceback() {
        Outcome o = SandboxRunner.run("local ok, e = pcall(function() local x = nil; return x.y end) return e");
        assertEquals("ci.lua:1: attempt to index a nil value (local 'x')", o.value());
        assertFalse(o.value().contains("stack traceback"));
    }

    @Test
    void installWorksOnAnyGlobalsWithABudgetHook() {
        Globals g = JsePlatform.standardGlobals();
        ExecSandbox.hardenStatics();
        BudgetHook hook = new BudgetHook(SandboxLimits.DEFAULTS);
        hook.install(g);
        ErrorFixes.install(g);
        hook.arm(SandboxLimits.DEFAULTS);
        try {
            LuaValue f = g.load("local t = nil\nreturn t.x", "@m.lua");
            LuaError e = assertThrows(LuaError.class, () -> ErrorFixes.protectedCall(g, f, LuaValue.NONE));
            assertEquals("m.lua:2: attempt to index a nil value (local 't')", e.getMessage());
            LuaValue loop = g.load("while true do pcall(function() while true do end end) end", "@loop.lua");
            BudgetExceeded b = assertThrows(BudgetExceeded.class, () -> ErrorFixes.protectedCall(g, loop, LuaValue.NONE));
            assertEquals(BudgetExceeded.Kind.LIMIT, b.kind());
        } finally {
            hook.disarm();
        }
    }

    @Test
    void installWithoutHookStillFixesTheMessageFormat() {
        Globals g = JsePlatform.standardGlobals();
        ExecSandbox.hardenStatics();
        ErrorFixes.install(g);
        LuaValue f = g.load("local x = 1\nerror('bad')", "@plain.lua");
        LuaError e = assertThrows(LuaError.class, () -> ErrorFixes.protectedCall(g, f, LuaValue.NONE));
        assertEquals("plain.lua:2: bad", e.getMessage());
    }
}
