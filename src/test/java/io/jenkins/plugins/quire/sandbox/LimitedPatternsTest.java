package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * The limited string/table functions must behave exactly like Lua 5.2's (checked against the real
 * lua5.2 interpreter) while refusing oversized results.
 */
class LimitedPatternsTest {

    private static final String SER = "local function ser(...) local t = {} for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end return table.concat(t, ',') end\n";

    private static final String[] CASES = {
        "string.find('hello world', 'o w')",
        "string.find('hello world', 'l+')",
        "string.find('hello', 'l', 1, true)",
        "string.find('a.b', '.', 1, true)",
        "string.find('hello', 'xyz')",
        "string.find('hello', '')",
        "string.find('hello', '', 10)",
        "string.find('hello', 'l', -2)",
        "string.find('hello', '^h(e)')",
        "string.find('hello', '^e')",
        "string.match('key = value', '(%w+)%s*=%s*(%w+)')",
        "string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')",
        "string.match('hello', '()ll()')",
        "string.match('  trim  ', '^%s*(.-)%s*$')",
        "string.match('THE (quick) fox', '%((%a+)%)')",
        "string.match('f(a(b)c)d', '%b()')",
        "string.match('THE quick', '%a+', 4)",
        "string.match('abc', '.-$')",
        "string.gsub('hello world', 'o', '0')",
        "string.gsub('hello world', '(%w+)', '<%1>')",
        "string.gsub('hello world', '%w+', '%0 %0', 1)",
        "string.gsub('abc', '', '-')",
        "string.gsub('$name is $age', '%$(%w+)', {name = 'bob', age = 42})",
        "string.gsub('abc', '%w', function(c) return c:upper() .. '.' end)",
        "string.gsub('abc', 'b', '%%')",
        "string.gsub('abc', '^a', 'X')",
        "string.gsub('hello', 'l', {l = false})",
        "(function() local t = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do t[#t + 1] = k .. v end return table.concat(t, ';') end)()",
        "(function() local t = {} for w in string.gmatch('one two  three', '%a+') do t[#t + 1] = w end return table.concat(t, '|') end)()",
        "(function() local t = {} for a, b in string.gmatch('abc', '()(.?)') do t[#t + 1] = a .. b end return table.concat(t, '|') end)()",
        "string.rep('ab', 3, ',')",
        "string.rep('x', 0)",
        "table.concat({1, 2, 'x'}, '-')",
        "table.concat({}, 'x')",
        "table.concat({1, 2, 3}, ',', 2, 3)",
        "select('#', table.unpack({1, 2, nil, 4}, 1, 4))",
        "table.unpack({1, 2, 3}, 2)",
        "unpack({1, 2, 3})",
        "string.byte('abc', 1, -1)",
        "string.byte('abc', 10)",
        "('x'):upper(), ('AbC'):lower(), ('abc'):reverse(), ('hello'):sub(2, -2), string.char(72, 105)",
        "string.format('%d|%5.1f|%-3s|%q', 42, 2.25, 'a', 'x\"y')",
    };

    @Test
    void resultsMatchLua52() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (String c : CASES) {
            String chunk = SER + "return ser(" + c + ")";
            String expected = Lua52.eval(chunk);
            Outcome o = SandboxRunner.run(chunk);
            if (!"ok".equals(o.status()) || !expected.equals(o.value()))
                mismatches.add(c + "\n   lua5.2: " + expected + "\n   sandbox: " + o);
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void plainFindWorkIsChargedToo() {
        SandboxLimits longClock = SandboxLimits.DEFAULTS.withCpuTimeMillis(120_000);
        Outcome o = SandboxRunner.run("local s = ('a'):rep(2^22) local p = ('a'):rep(2^21) .. 'b' return s:find(p, 1, true)", longClock);
        assertEquals("limit", o.status(), o.toString());
        assertTrue(o.error().endsWith("instruction limit exceeded (20000000)"), o.error());
        assertEquals("3,4", SandboxRunner.run("return ('xxab'):find('ab', 1, true) .. ',' .. select(2, ('xxab'):find('ab', 1, true))").value());
    }

    @Test
    void byteRefusesHugeSlices() {
        Outcome o = SandboxRunner.run("local s = ('x'):rep(2e6) return select('#', s:byte(1, -1))");
        assertEquals("ci.lua:1: string slice too long", o.error());
    }

    @Test
    void gsubOutputIsCappedByTheStringLimit() {
        SandboxLimits small = SandboxLimits.DEFAULTS.withMaxStringBytes(1000);
        assertEquals("ok", SandboxRunner.run("return (('a'):rep(100):gsub('a', 'bbbbbbbbb'))", small).status());
        Outcome o = SandboxRunner.run("return (('a'):rep(200):gsub('a', 'bbbbbbbbb'))", small);
        assertTrue(o.error().endsWith("resulting string too large"), o.toString());
    }

    @Test
    void stringBuildingIsChargedToTheMemoryBudget() {
        SandboxLimits lowMemory = SandboxLimits.DEFAULTS.withMaxAllocBytes(64L << 20).withCpuTimeMillis(60_000);
        Outcome o = SandboxRunner.run("for i = 1, 1000 do local s = ('x'):rep(1e6) end", lowMemory);
        assertEquals("limit", o.status(), o.toString());
        assertTrue(o.error().contains("memory limit exceeded"), o.error());
    }

    @Test
    void patternStepsAreChargedAsInstructions() {
        SandboxLimits fewInstructions = SandboxLimits.DEFAULTS.withMaxInstructions(100_000);
        Outcome o = SandboxRunner.run("return string.find(('a'):rep(20), ('a*'):rep(20) .. 'b')", fewInstructions);
        assertEquals("limit", o.status(), o.toString());
        assertTrue(o.error().endsWith("instruction limit exceeded (100000)"), o.error());
    }
}
