package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * LuaJ's compiler limits (locals, upvalues, nesting, jump length, registers, constants) must fail
 * with the message Lua 5.2 gives, located at the chunk's line and token, never with a
 * NullPointerException or "compiler assert failed" naming LuaJ's internals. Each message is
 * compared with the real lua5.2's.
 */
class CompilerLimitsTest {

    private static String repeat(String line, int n) {
        return line.repeat(n);
    }

    private static String locals(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= n; i++) s.append("local a").append(i).append(" = ").append(i).append('\n');
        return s.toString();
    }

    private static String upvalues() {
        StringBuilder s = new StringBuilder("local function f()\n");
        for (int i = 1; i <= 150; i++) s.append("local a").append(i).append(" = ").append(i).append('\n');
        s.append("return function()\n");
        for (int i = 1; i <= 150; i++) s.append("local b").append(i).append(" = ").append(i).append('\n');
        s.append("return function()\nreturn ");
        for (int i = 1; i <= 150; i++) s.append('a').append(i).append(" + b").append(i).append(" + ");
        return s.append("0\nend\nend\nend\n").toString();
    }

    /** The load error lua5.2 gives for {@code source} as chunk {@code @ci.lua}. */
    private static String lua52(String source) throws Exception {
        return Lua52.eval("local f, e = load([==[" + source + "]==], '@ci.lua') return e");
    }

    private static void assertSameAsLua52(String source) throws Exception {
        Outcome o = SandboxRunner.run(source);
        assertEquals("error", o.status(), o.toString());
        assertEquals(lua52(source), o.error());
    }

    @Test
    void tooManyLocals() throws Exception {
        assertEquals("ok", SandboxRunner.run(locals(200)).status());
        assertSameAsLua52(locals(201));
        assertEquals("ci.lua:201: too many local variables (limit is 200) in main function near '='", SandboxRunner.run(locals(201)).error());
    }

    /**
     * lua5.2 reports "too many upvalues" here; LuaJ counts the locals of enclosing functions against
     * the 200-locals limit too, so it stops earlier. Either way: Lua's wording, a line, a token.
     */
    @Test
    void nestedFunctionsWithManyLocalsOrUpvalues() throws Exception {
        assertTrue(lua52(upvalues()).startsWith("ci.lua:304: too many upvalues (limit is 255) in function at line 303 near "));
        Outcome o = SandboxRunner.run(upvalues());
        assertEquals("error", o.status(), o.toString());
        assertTrue(o.error().matches("ci\\.lua:\\d+: too many (local variables \\(limit is 200\\)|upvalues \\(limit is 255\\)) in function at line \\d+ near '.*'"), o.error());
    }

    @Test
    void tooManyNestingLevels() throws Exception {
        assertSameAsLua52("return " + repeat("(", 300) + "1" + repeat(")", 300) + "\n");
        assertSameAsLua52("local x = 1\nx = " + repeat("{", 300) + repeat("}", 300) + "\n");
    }

    @Test
    void controlStructureTooLong() throws Exception {
        assertSameAsLua52("while true do\n" + repeat("x = 1\n", 140_000) + "end\n");
    }

    @Test
    void expressionTooComplex() throws Exception {
        assertSameAsLua52("local t = {f(\n" + repeat("1,\n", 300) + "1)}\n");
    }

    @Test
    void tooManyConstantsForLuaJ() {
        StringBuilder s = new StringBuilder("local t = {\n");
        for (int i = 1; i <= 270_000; i++) s.append("'k").append(i).append("',\n");
        Outcome o = SandboxRunner.run(s.append("}\n").toString());
        assertEquals("error", o.status(), o.toString());
        assertTrue(o.error().matches("ci\\.lua:\\d+: too many constants \\(limit is 262143\\) in main function( near .*)?"), o.error());
    }
}
