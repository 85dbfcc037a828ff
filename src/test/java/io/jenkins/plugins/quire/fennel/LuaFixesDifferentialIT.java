package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.ErrorFixes;
import io.jenkins.plugins.quire.sandbox.LuaFixes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * {@code LuaFixes} against values computed by lua5.2 at test time: the same Lua script evaluates every case in
 * both interpreters and the result lines must be equal. Also shows that stock LuaJ gets these cases wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LuaFixesDifferentialIT {
    static final List<String> FORMAT = List.of(
            "string.format('%d', 42)", "string.format('%5d|%-5d|%05d', 42, 42, -42)", "string.format('%+d % d', 5, 5)",
            "string.format('%d', 3.7)", "string.format('%d', -3.7)", "string.format('%d', 2^40)",
            "string.format('%d', 1.7e12)", "string.format('%d', -2^63)", "string.format('%d', 2^63)",
            "string.format('%d', '12')", "string.format('%d', 'x')", "string.format('%d')", "string.format('%.0d', 0)",
            "string.format('%+.3d', 5)", "string.format('%x %X %#x %#X %o %#o', 255, 255, 255, 255, 8, 8)",
            "string.format('%x', 2^63)", "string.format('%x', -1)", "string.format('%5.1x', 255)", "string.format('%#x', 0)",
            "string.format('%x', 3.5)", "string.format('%i %u', 42, 42)", "string.format('%c%c%c', 72, 105, 256 + 33)",
            "string.format('%5c|', 65)", "string.format('%5s|%-5s|%.2s', 'ab', 'ab', 'abcdef')",
            "string.format('%5.1s|', true)", "string.format('%s %s %s', 1, 2.5, nil)",
            "string.format('%s', setmetatable({}, {__tostring = function() return 'custom' end}))",
            "string.format('%s', setmetatable({}, {__tostring = function() return 1 end}))",
            "string.format('%s', 1/3)", "string.format('%s', 2^53)", "string.format('%q', 'a\\nb\\0c\"\\\\\\r\\1272')",
            "string.format('%q', 12)", "string.format('%.0f %.0f %.0f %.0f', 0.5, 1.5, 2.5, 3.5)",
            "string.format('%.2f', 2.675)", "string.format('%.3f', 1.0005)", "string.format('%10.4f|', math.pi)",
            "string.format('%-10.2f|', 2.5)", "string.format('%+f % f', 1, 1)", "string.format('%#.0f', 3)",
            "string.format('%012.3f', -3.14159)", "string.format('%.20f', 0.1)", "string.format('%f', 1e20)",
            "string.format('%.0f', 2^70)", "string.format('%f', 1/0)", "string.format('%5.2f', -1/0)",
            "string.format('%05.1f', 1/0)", "string.format('%e', 0)", "string.format('%e', 12345.678)",
            "string.format('%.2E', 0.000123)", "string.format('%10.4e|', 3.14159)", "string.format('%#.0e', 3)",
            "string.format('%.0e', 25)", "string.format('%e', 1e-310)", "string.format('%-12e|', -1.5)",
            "string.format('%g %g %g %g', 100000, 1000000, 1e-4, 1e-5)", "string.format('%g', 1e100)",
            "string.format('%g %g', 0.1, 123456789)", "string.format('%#g', 1)", "string.format('%g', 2^53)",
            "string.format('%.3g|%.3g|%#.3g', 1234.5, 2.0, 2.0)", "string.format('%.10g', 1/3)",
            "string.format('%.17g', 0.1)", "string.format('%G', 1e-20)", "string.format('%.0g', 0.5)",
            "string.format('%g', 0)", "string.format('%a %A', 1, 0.5)", "string.format('%a', 1/3)",
            "string.format('%5.1f%%', 99.44)", "string.format('%y', 1)", "string.format('%123d', 1)",
            "string.format('%------5d', 1)", "string.format('%--5d|', 1)", "string.format('abc%')",
            "string.format('%.123f', 1)", "string.format('no args')", "string.format('%s', 'x', 'extra')");
    static final List<String> TOSTRING = List.of(
            "tostring(1/3)", "tostring(2/3)", "tostring(1e100)", "tostring(1.5e-7)", "tostring(2^63)", "tostring(2^53)",
            "tostring(2^53 + 1)", "tostring(1e15)", "tostring(1e16)", "tostring(123456.789e3)", "tostring(-2^63)",
            "tostring(1e-5)", "tostring(5e-324)", "tostring(1.7976931348623157e308)", "tostring(3.141592653589793)",
            "tostring(-7.25)", "tostring(100)", "tostring(1/0)", "tostring(-1/0)", "tostring(2^31)",
            "tostring(123456789012345678)", "tostring(nil)", "tostring(true)", "tostring('s')",
            "tostring(setmetatable({}, {__tostring = function() return 'T' end}))", "tostring()");
    static final List<String> TONUMBER = List.of(
            "tonumber('-')", "tonumber('0x')", "tonumber('0x1p4')", "tonumber('0xA.8')", "tonumber(' 10 ')",
            "tonumber('1e')", "tonumber('0x.8')", "tonumber('.5')", "tonumber('5.')", "tonumber('inf')",
            "tonumber('nan')", "tonumber('')", "tonumber('  ')", "tonumber('0x10')", "tonumber('-0x10')",
            "tonumber('1e500')", "tonumber('+5')", "tonumber('- 5')", "tonumber('1e+2')", "tonumber('0x1P-2')",
            "tonumber('12abc')", "tonumber('\\t7\\n')", "tonumber(nil)", "tonumber({})", "tonumber(true)",
            "tonumber(42)", "tonumber('10', 16)", "tonumber('zz', 36)", "tonumber('-ff', 16)",
            "tonumber(' ff ', 16)", "tonumber('1.5', 10)", "tonumber('9', 8)", "tonumber('', 10)",
            "tonumber('-', 10)", "tonumber(10, 16)", "tonumber('10', 1)", "tonumber('10', 37)", "tonumber()");
    static final List<String> OTHERS = List.of(
            "string.rep('ab', 3, ',')", "string.rep('ab', 0, ',')", "string.rep('ab', -1)", "string.rep('a', 2.7)",
            "string.rep('x', 3)", "string.rep('', 5, '-')", "string.rep('a')",
            "math.log(100, 10)", "math.log(8, 2)", "math.log(1)", "_VERSION",
            "(function() local t = setmetatable({}, {__mode = 'k'}) local keep, n = {}, 0 for i = 1, 50 do local k = {} keep[i] = k t[k] = i end"
                    + " for _ in pairs(t) do n = n + 1 end return n end)()",
            "getmetatable(setmetatable({}, {__mode = 'k'})).__mode");

    private final List<String> cases = new ArrayList<>();
    private List<String> expected;

    @BeforeAll
    void evaluateWithLua52(@TempDir Path dir) throws Exception {
        cases.addAll(FORMAT);
        cases.addAll(TOSTRING);
        cases.addAll(TONUMBER);
        cases.addAll(OTHERS);
        Path script = dir.resolve("cases.lua");
        Files.writeString(script, script(cases) + "\nio.write(main())\n");
        expected = List.of(Lua52.run(dir, script).split("\n", -1));
        assertEquals(cases.size(), expected.size(), "lua5.2 printed an unexpected number of lines");
    }

    /** Evaluates each case with pcall and prints {@code ok <value>} or {@code err <message without position>}. */
    static String script(List<String> cases) {
        StringBuilder s = new StringBuilder("local cases = {\n");
        for (String c : cases) s.append("  function() return ").append(c).append(" end,\n");
        s.append("}\n");
        s.append("function main()\n")
                .append("  local out = {}\n")
                .append("  for i, f in ipairs(cases) do\n")
                .append("    local ok, v = pcall(f)\n")
                .append("    local text = ok and ('ok ' .. type(v) .. ' ' .. tostring(v)) or ('err ' .. tostring(v))\n")
                .append("    text = text:gsub('^err [^:]*:%d+: ', 'err '):gsub('\\n', '\\\\n')\n")
                .append("    out[#out + 1] = text\n")
                .append("  end\n")
                .append("  return table.concat(out, '\\n')\n")
                .append("end\n");
        return s.toString();
    }

    private List<String> runInLuaj(Globals g) {
        g.load(script(cases), "=cases").call();
        LuaValue out = ErrorFixes.protectedCall(g, g.get("main"), LuaValue.NONE).arg1();
        return List.of(out.tojstring().split("\n", -1));
    }

    private void assertSameAsLua52(List<String> group) {
        Globals g = FennelDifferentialIT.plainGlobals();
        List<String> actual = runInLuaj(g);
        List<String> mismatches = new ArrayList<>();
        for (String c : group) {
            int i = cases.indexOf(c);
            if (!expected.get(i).equals(actual.get(i))) {
                mismatches.add(c + "\n    lua5.2: " + expected.get(i) + "\n    LuaJ  : " + actual.get(i));
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + group.size() + " cases differ:\n"
                + String.join("\n", mismatches));
    }

    @Test
    void stringFormatMatchesLua52() {
        assertSameAsLua52(FORMAT);
    }

    @Test
    void tostringOfNumbersMatchesLua52() {
        assertSameAsLua52(TOSTRING);
    }

    @Test
    void tonumberEdgeCasesMatchLua52() {
        assertSameAsLua52(TONUMBER);
    }

    @Test
    void repLogVersionAndStrongTablesMatchLua52() {
        assertSameAsLua52(OTHERS);
    }

    @Test
    void stockLuajDiffersOnManyOfTheseCasesSoTheFixesAreNeeded() {
        Globals stock = JsePlatform.standardGlobals();
        List<String> group = new ArrayList<>(FORMAT);
        group.addAll(TOSTRING);
        group.addAll(TONUMBER);
        stock.load(script(group), "=cases").call();
        List<String> actual = List.of(stock.get("main").call().tojstring().split("\n", -1));
        int differ = 0;
        for (int i = 0; i < group.size(); i++) {
            if (!expected.get(cases.indexOf(group.get(i))).equals(actual.get(i))) differ++;
        }
        assertTrue(differ >= 40, "stock LuaJ differs from lua5.2 on only " + differ + " cases");
    }

    @Test
    void repIsCappedByTheConfiguredSize() {
        Globals g = FennelDifferentialIT.plainGlobals();
        LuaFixes.install(g, 1000);
        LuaValue ok = g.load("return pcall(string.rep, 'ab', 500)").call();
        assertTrue(ok.toboolean());
        LuaValue r = g.load("local ok, e = pcall(string.rep, 'ab', 501) return e").call();
        assertTrue(r.tojstring().contains("resulting string too large"), r.tojstring());
        LuaValue huge = g.load("local ok, e = pcall(string.rep, 'ab', 2^40, ',') return e").call();
        assertTrue(huge.tojstring().contains("resulting string too large"), huge.tojstring());
        assertFalse(g.load("return (pcall(string.format, '%s', string.rep('x', 999) .. 'yy'))").call().toboolean());
    }
}
