package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

class LuaJsonTest {
    @Test
    void tablesBecomeObjectsAndSequencesArrays() {
        LuaTable t = new LuaTable();
        t.set("sha", "abc");
        t.set("count", 3);
        t.set("ratio", LuaValue.valueOf(0.25));
        t.set("ok", LuaValue.TRUE);
        LuaTable list = new LuaTable();
        list.rawset(1, LuaValue.valueOf("a"));
        list.rawset(2, LuaValue.valueOf(2));
        t.set("list", list);
        t.set("empty", new LuaTable());
        JsonNode j = LuaJson.toJson(t);
        assertEquals("abc", j.get("sha").textValue());
        assertEquals(3L, j.get("count").longValue());
        assertEquals(true, j.get("count").isIntegralNumber());
        assertEquals(0.25, j.get("ratio").doubleValue());
        assertEquals(true, j.get("ok").booleanValue());
        assertEquals("[\"a\",2]", j.get("list").toString());
        assertEquals("{}", j.get("empty").toString());
    }

    @Test
    void functionsAndCyclesAreNotData() {
        LuaTable t = new LuaTable();
        LuaTable inner = new LuaTable();
        inner.set("f", new ZeroArgFunction() {
            @Override public LuaValue call() {
                return NIL;
            }
        });
        t.set("nested", inner);
        String msg = assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(t)).getMessage();
        assertEquals("outputs.nested.f is a function, which is not data (outputs may hold strings, numbers,"
                + " booleans and tables)", msg);
        LuaTable cyc = new LuaTable();
        cyc.set("self", cyc);
        assertEquals("outputs.self refers back to a table that contains it (a cycle)",
                assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(cyc)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(LuaValue.valueOf(Double.NaN)));
    }

    @Test
    void jsonComesBackAsFreshTables() {
        LuaTable t = new LuaTable();
        t.set("sha", "abc");
        LuaTable list = new LuaTable();
        list.rawset(1, LuaValue.valueOf(7));
        t.set("list", list);
        JsonNode j = LuaJson.toJson(t);
        LuaValue a = LuaJson.toLua(j);
        LuaValue b = LuaJson.toLua(j);
        assertNotSame(a, b);
        assertEquals("abc", a.get("sha").tojstring());
        assertEquals(7, a.get("list").get(1).toint());
        a.set("sha", "changed");
        assertEquals("abc", b.get("sha").tojstring());
    }

    /** {@code (for [i 1 depth] (set t [t t]))}: depth+1 tables in Lua, 2^(depth+1) - 1 values as JSON. */
    private static LuaTable doubling(int depth) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < depth; i++) {
            LuaTable next = new LuaTable();
            next.rawset(1, t);
            next.rawset(2, t);
            t = next;
        }
        return t;
    }

    @Test
    void sharedSubtablesCountEveryTimeTheyAreReachedAndStopTheConversionAtTheValueCap() {
        // 2^19 - 1 values: over the default cap of 100,000 (small enough that a converter without a cap finishes)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(doubling(18)));
        assertTrue(e.getMessage().contains("more than 100000 values"), e.getMessage());
        // 2^41 - 1 values: the walk stops at the cap, it does not run the 2^41 steps
        LuaJson.Limits small = new LuaJson.Limits(1000, 1 << 20);
        e = assertThrows(LuaJson.TooLargeException.class, () -> LuaJson.toJson(doubling(40), small));
        assertEquals("outputs hold more than 1000 values (the limit; a table reached twice counts twice)",
                e.getMessage());
    }

    @Test
    void aStringReachedManyTimesCountsItsBytesEveryTime() {
        LuaTable t = new LuaTable();
        LuaValue kib = LuaValue.valueOf("x".repeat(1024));
        for (int i = 1; i <= 8192; i++) t.rawset(i, kib); // 8 MiB of JSON text from one 1 KiB string
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(t));
        assertTrue(e.getMessage().contains("more than 4194304 bytes of text"), e.getMessage());
        LuaTable keys = new LuaTable();
        keys.rawset("k".repeat(600), LuaValue.TRUE);
        assertThrows(LuaJson.TooLargeException.class, () -> LuaJson.toJson(keys, new LuaJson.Limits(10, 512)));
        assertEquals(2, LuaJson.toJson(doubling(1), new LuaJson.Limits(3, 0)).size()); // exactly at the cap: fits
    }

    private static final LuaValue NOT_UTF8 =
            org.luaj.vm2.LuaString.valueOf(new byte[] {(byte) 0xA9, 'A', (byte) 0xFF}); // was stored as "ੁ￿\u0000"

    @Test
    void stringsThatAreNotUtf8AreRefusedNamingWhereTheyAre() {
        LuaTable t = new LuaTable();
        t.set("bad", NOT_UTF8);
        assertEquals("outputs.bad is not UTF-8 text (byte 1 of 3 is 0xA9)",
                assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(t)).getMessage());
        LuaTable k = new LuaTable();
        k.set(NOT_UTF8, LuaValue.TRUE);
        assertEquals("outputs has a key that is not UTF-8 text (byte 1 of 3 is 0xA9)",
                assertThrows(IllegalArgumentException.class, () -> LuaJson.toJson(k)).getMessage());
        LuaTable ok = new LuaTable();
        ok.set("emoji", LuaValue.valueOf("é😀")); // how LuaJ encodes a literal of the compiled source
        assertEquals("é😀", LuaJson.toJson(ok).get("emoji").textValue());
    }
}
