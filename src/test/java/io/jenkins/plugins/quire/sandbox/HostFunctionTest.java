package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/** How host functions appear to scripts: names, visible and hidden errors, source lines, fresh budgets per call. */
class HostFunctionTest {

    private static HostFunction secret() {
        return new HostFunction("secret") {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) throws HostError {
                String n = args.checkjstring(1);
                if (!n.equals("token")) throw new HostError("secret '" + n + "' is not declared");
                return LuaValue.valueOf("t0k3n");
            }
        };
    }

    @Test
    void tostringOfHostFunctionNamesItAsBuiltin() {
        assertEquals("function: builtin: sh", SandboxRunner.run("return tostring(sh)").value());
    }

    @Test
    void hostErrorIsVisibleAndLocated() {
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.registerGlobal("secret", secret());
            Outcome caught = SandboxRunner.execute(vm, "local ok, e = pcall(secret, 'nope') return e", "ci.lua", null);
            assertEquals("secret 'nope' is not declared", caught.value());
            Outcome uncaught = SandboxRunner.execute(vm, "local x = 1\nreturn secret('nope')", "ci.lua", null);
            assertEquals("ci.lua:2: secret 'nope' is not declared", uncaught.error());
            assertEquals("t0k3n", SandboxRunner.execute(vm, "return secret('token')", "ci.lua", null).value());
        }
    }

    @Test
    void otherHostExceptionsAreHiddenAndReported() {
        List<String> reported = new ArrayList<>();
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.setHostErrorListener((name, e) -> reported.add(name + ": " + e.getMessage()));
            vm.registerGlobal("sh", SandboxRunner.sh());
            Outcome o = SandboxRunner.execute(vm, "sh({'boom'})", "ci.fnl", l -> 51);
            assertEquals("ci.fnl:51: sh: host error (see job log)", o.error());
            assertFalse(o.error().contains("hunter2"));
        }
        assertEquals(List.of("sh: connect to db://admin:hunter2@db.internal"), reported);
    }

    @Test
    void aHostFunctionReturningAJavaObjectFailsInsteadOfLeakingIt() {
        List<Throwable> reported = new ArrayList<>();
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.setHostErrorListener((name, e) -> reported.add(e));
            vm.registerGlobal("ctx", new HostFunction("ctx") {
                @Override
                protected Varargs call(ExecSandbox v, Varargs args) {
                    LuaTable t = new LuaTable();
                    t.set("obj", org.luaj.vm2.lib.jse.CoerceJavaToLua.coerce(new StringBuilder("java")));
                    return t;
                }
            });
            Outcome o = SandboxRunner.execute(vm, "local ok, e = pcall(ctx) return tostring(ok) .. ' ' .. e", "ci.lua", null);
            assertEquals("false ctx: host error (see job log)", o.value());
        }
        assertEquals(1, reported.size());
        assertTrue(reported.get(0) instanceof IllegalArgumentException, String.valueOf(reported.get(0)));
    }

    @Test
    void currentSourceLineIsTheMappedLineOfTheCaller() {
        Outcome o = SandboxRunner.run("local a = 1\nlocal b = 2\nlocal r = sh('x')\nreturn r.line",
                SandboxLimits.DEFAULTS, "ci.fnl", l -> l + 40);
        assertEquals("43", o.value());
    }

    @Test
    void hostResultsArePlainFreshTables() {
        Outcome o = SandboxRunner.run("local a, b = sh('x'), sh('x') a.exit = 99 return type(a) .. ' ' .. b.exit .. ' ' .. tostring(rawequal(a, b))");
        assertEquals("table 0 false", o.value());
    }

    @Test
    void eachCallOfARunFnGetsAFreshBudget() throws Exception {
        SandboxLimits small = SandboxLimits.DEFAULTS.withMaxInstructions(2_000_000);
        try (ExecSandbox vm = ExecSandbox.create(small)) {
            LuaValue fn = vm.execute("return function(n) local s = 0 for i = 1, n do s = s + i end return s end", "ci.lua", null).arg1();
            for (int i = 0; i < 3; i++) {
                assertEquals(125000250000L, vm.call(fn, LuaValue.valueOf(500_000), small).arg1().tolong(),
                        "each call must start with a fresh budget");
            }
            ScriptException e = org.junit.jupiter.api.Assertions.assertThrows(ScriptException.class,
                    () -> vm.call(fn, LuaValue.valueOf(10_000_000), small));
            assertEquals(ScriptException.Kind.LIMIT, e.kind());
        }
    }

    @Test
    void requireKnowsOnlyRegisteredModules() {
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            LuaTable ci = new LuaTable();
            ci.set("image", LuaValue.valueOf("img"));
            vm.registerModule("quire.ci", ci);
            assertEquals("img", SandboxRunner.execute(vm, "local ci = require('quire.ci') return ci.image", "ci.lua", null).value());
            assertEquals("ci.lua:1: module 'string' not found",
                    SandboxRunner.execute(vm, "return require('string')", "ci.lua", null).error());
        }
    }

    @Test
    void globalsAreExactlyTheDesignSurface() {
        Outcome o = SandboxRunner.run("local names = {} for k in pairs(_G) do names[#names + 1] = k end table.sort(names) return table.concat(names, ' ')");
        assertEquals("_G _VERSION assert error getmetatable ipairs math next pairs pcall rawequal rawget rawlen rawset require select setmetatable sh string table tonumber tostring type unpack xpcall",
                o.value());
        Outcome s = SandboxRunner.run("local names = {} for k in pairs(string) do names[#names + 1] = k end table.sort(names) return table.concat(names, ' ')");
        assertFalse(s.value().contains("dump"), s.value());
        assertTrue(s.value().contains("gsub"), s.value());
        assertEquals("Lua 5.2", SandboxRunner.run("return _VERSION").value());
    }
}
