package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.quire.sandbox.ErrorTailcallCompiler;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/** Source maps, error fields and the tail-call rewrite that keeps error positions. */
class CompiledScriptTest {
    private static final String PROGRAM = String.join("\n",
            "(local ci {})",                          // 1
            "(fn ci.check [x]",                       // 2
            "  (when (= x 3)",                        // 3
            "    (local y (* x 2))",                  // 4
            "    (error (.. \"bad value \" y)))",     // 5
            "  x)",                                   // 6
            "(ci.check 1)",                           // 7
            "(ci.check 3)");                          // 8

    private static int luaLineContaining(String lua, String text) {
        String[] lines = lua.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(text)) return i + 1;
        fail("no Lua line contains " + text + ":\n" + lua);
        return -1;
    }

    @Test
    void sourceLinesFollowFennelsSourceMap() throws Exception {
        CompiledScript c = FennelCompiler.compile(PROGRAM, "ci.fnl");
        assertEquals(5, c.sourceLine(luaLineContaining(c.lua(), "bad value")));
        assertEquals(4, c.sourceLine(luaLineContaining(c.lua(), "(x * 2)")));
        assertEquals(8, c.sourceLine(luaLineContaining(c.lua(), "ci.check(3)")));
        assertEquals(0, c.sourceLine(0));
        assertEquals("ci.fnl", c.fileName());
    }

    @Test
    void anUnmappedLineUsesTheNearestMappedLineAbove() {
        CompiledScript c = new CompiledScript("x.fnl", "a\nb\nc\nd\ne", new int[] {0, 0, 3, 0, 0, 9});
        assertEquals(0, c.sourceLine(1));
        assertEquals(3, c.sourceLine(2));
        assertEquals(3, c.sourceLine(4));
        assertEquals(9, c.sourceLine(5));
        assertEquals(9, c.sourceLine(40));
    }

    @Test
    void aRuntimeErrorIsReportedAtTheFennelLine() throws Exception {
        CompiledScript c = FennelCompiler.compile(PROGRAM, "ci.fnl");
        try (ExecSandbox vm = ExecSandbox.create(null)) {
            ScriptException e = assertThrows(ScriptException.class, () -> vm.execute(c.lua(), "ci.fnl", c::sourceLine));
            assertTrue(e.getMessage().startsWith("ci.fnl:5: bad value 6"), e.getMessage());
        }
    }

    @Test
    void parseErrorsCarryFileLineColumnAndSourceText() {
        String src = "(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [] (sh \"x\")))\n(print (+ 1 2)";
        FennelCompileException e = assertThrows(FennelCompileException.class, () -> FennelCompiler.compile(src, "ci.fnl"));
        assertEquals("ci.fnl", e.fileName());
        assertTrue(e.getMessage().startsWith("ci.fnl:" + e.line() + ":" + e.column() + ": Parse error: "), e.getMessage());
        assertTrue(e.line() >= 3, "line " + e.line());
    }

    @Test
    void compileErrorNamesTheOffendingLine() {
        String src = "(local x 1)\n\n(fn f []\n  (undefined-fn x))";
        FennelCompileException e = assertThrows(FennelCompileException.class, () -> FennelCompiler.compile(src, "ci.fnl"));
        assertEquals(4, e.line());
        assertEquals("  (undefined-fn x))", e.sourceLine());
        assertTrue(e.getMessage().startsWith("ci.fnl:4:3: Compile error: unknown identifier: undefined-fn\n"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(undefined-fn x))"), e.getMessage());
    }

    @Test
    void fileNamesWithColonsAreParsed() {
        FennelCompileException e = assertThrows(FennelCompileException.class,
                () -> FennelCompiler.compile("(local x 1)\n(os.exit)", "HEAD:.quire/ci.fnl"));
        assertEquals(2, e.line());
        assertEquals("HEAD:.quire/ci.fnl", e.fileName());
        assertTrue(e.getMessage().startsWith("HEAD:.quire/ci.fnl:2:"), e.getMessage());
    }

    @Test
    void tailCallsToErrorAndAssertBecomePlainCallsAndOthersStayTailCalls() throws Exception {
        String lua = "local function f(x) return error('boom ' .. x) end\n"
                + "local function g(x) return assert(x, 'no') end\n"
                + "local function h(x) return f(x) end\n"
                + "return f, g, h";
        Prototype p = LuaC.instance.compile(new ByteArrayInputStream(lua.getBytes(StandardCharsets.UTF_8)), "=t");
        assertEquals(2, ErrorTailcallCompiler.rewrite(p));
        assertEquals(0, countOp(p.p[0], 30));
        assertEquals(0, countOp(p.p[1], 30));
        assertEquals(1, countOp(p.p[2], 30), "the Lua-to-Lua tail call must stay");
        Prototype q = new ErrorTailcallCompiler(LuaC.instance)
                .compile(new ByteArrayInputStream(lua.getBytes(StandardCharsets.UTF_8)), "=t");
        assertEquals(0, countOp(q.p[0], 30), "the compiler wrapper rewrites too");
        assertEquals(1, countOp(q.p[2], 30));
    }

    private static int countOp(Prototype p, int op) {
        int n = 0;
        for (int i : p.code) if ((i & 0x3f) == op) n++;
        return n;
    }
}
