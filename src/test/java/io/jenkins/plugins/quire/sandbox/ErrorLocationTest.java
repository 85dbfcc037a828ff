package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * Error locations (docs/security.md, errors): every error is reported in the source
 * file through a (here faked) Lua-to-source line map, including tail-position errors and errors
 * raised by host functions.
 */
class ErrorLocationTest {

    /** Fake source map: Lua line n maps to source line 10 * n, except lines listed as unmapped. */
    private static IntUnaryOperator map(int... unmapped) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int l = 1; l <= 100; l++) m.put(l, 10 * l);
        for (int u : unmapped) m.remove(u);
        return l -> m.getOrDefault(l, 0);
    }

    private static Outcome run(String lua, int... unmapped) {
        return SandboxRunner.run(lua, SandboxLimits.DEFAULTS, "errors.fnl", map(unmapped));
    }

    @Test
    void indexNilLocal() {
        assertEquals("errors.fnl:30: attempt to index a nil value (local 'push')",
                run("local x = 1\nlocal push = nil\nreturn push.sha").error());
    }

    @Test
    void callNilFieldInTailPosition() {
        assertEquals("errors.fnl:20: attempt to call a nil value (field 'imagez')",
                run("local ci = {}\nreturn ci.imagez('debian')").error());
    }

    @Test
    void arithmeticOnNilField() {
        assertEquals("errors.fnl:20: attempt to perform arithmetic on a nil value (field 'exitcode')",
                run("local r = {}\nreturn r.exitcode + 1").error());
    }

    @Test
    void errorInTailPosition() {
        assertEquals("errors.fnl:20: refusing to deploy v2",
                run("local function deploy(tag)\n  return error('refusing to deploy ' .. tag)\nend\nreturn deploy('v2')").error());
    }

    @Test
    void recursionThenIndexNilHasMappedTraceback() {
        Outcome o = run("local function deep(n, cfg)\n"
                + "  if n == 0 then return cfg.x end\n"
                + "  local r = deep(n - 1, cfg)\n"
                + "  return r\n"
                + "end\n"
                + "local top = deep(3, nil)\n"
                + "return top");
        assertEquals("errors.fnl:20: attempt to index a nil value (local 'cfg')", o.error());
        String tb = o.traceback();
        assertTrue(tb.contains("stack traceback:"), tb);
        assertTrue(tb.contains("errors.fnl:20: in function 'deep'"), tb);
        assertTrue(tb.contains("errors.fnl:30: in function 'deep'"), tb);
        assertTrue(tb.contains("errors.fnl:60: in main chunk"), tb);
    }

    @Test
    void limitErrorsAreLocatedWithTheirOwnTraceback() {
        Outcome o = SandboxRunner.run("local function spin()\n  while true do end\nend\nspin()\n",
                SandboxLimits.DEFAULTS.withCpuTimeMillis(120_000), "errors.fnl", map());
        assertEquals("limit", o.status());
        assertEquals("errors.fnl:20: instruction limit exceeded (20000000)", o.error());
        assertTrue(o.traceback().contains("errors.fnl:20: in function 'spin'"), o.traceback());
        assertTrue(o.traceback().contains("errors.fnl:40: in main chunk"), o.traceback());
    }

    @Test
    void concatNilLocal() {
        assertEquals("errors.fnl:20: attempt to concatenate a nil value (local 'version')",
                run("local version\nreturn 'v' .. version .. '!'").error());
    }

    @Test
    void ipairsOfNilNamesTheCallee() {
        assertEquals("errors.fnl:20: bad argument to 'ipairs' (table expected, got nil)",
                run("local xs\nfor _, x in ipairs(xs) do end").error());
    }

    @Test
    void unmappedLineUsesNearestMappedLineAbove() {
        assertEquals("errors.fnl:10: attempt to index a nil value (local 'name')",
                run("local name\nlocal y = 2\nreturn name:upper()", 2, 3).error());
    }

    @Test
    void hostErrorInTailPosition() {
        assertEquals("errors.fnl:30: sh: host error (see job log)",
                run("local x = 1\nlocal y = 2\nreturn sh({'boom'})").error());
    }

    @Test
    void tableErrorObjectIsRenderedWithoutRunningScriptCode() {
        assertEquals("errors.fnl:10: error object: {code = 42}",
                run("error(setmetatable({code = 42}, {__tostring = function() while true do end end}))").error());
    }

    @Test
    void anErrorThatIsNotAStringNamesTheLineItWasRaisedAt() {
        assertEquals("errors.fnl:30: error object: {code = 1}",
                run("local x = 1\nlocal y = 2\nerror({code = 1})").error());
        assertEquals("errors.fnl:20: error object: true", run("local x = 1\nerror(true)").error());
    }

    @Test
    void messagesSeenByPcallAreAlsoMapped() {
        Outcome o = run("local t\nlocal ok, e = pcall(function() return t.x end)\nreturn e");
        assertEquals("errors.fnl:20: attempt to index a nil value (upvalue 't')", o.value());
    }

    @Test
    void otherRuntimeMessagesUseLua52Wording() {
        assertEquals("errors.fnl:20: attempt to compare table with string", run("local x = {}\nreturn x < 'a'").error());
        assertEquals("errors.fnl:20: attempt to get length of a nil value (local 'x')", run("local x\nreturn #x").error());
        assertEquals("errors.fnl:20: attempt to index a nil value (field 'a')", run("local t = {}\nt.a.b = 1").error());
        assertEquals("errors.fnl:10: attempt to call a nil value (method 'bad')", run("return ('x'):bad()").error());
        assertEquals("errors.fnl:10: bad argument #2 to 'rep' (number expected, got no value)", run("return ('x'):rep()").error());
    }

    @Test
    void syntaxErrorsNameTheChunkAndLine() {
        Outcome o = run("local x = 1\nlocal = 2");
        assertEquals("error", o.status());
        assertTrue(o.error().startsWith("errors.fnl:20:"), o.error());
    }
}
