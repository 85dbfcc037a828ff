package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Converts job outputs between Lua and JSON: a job's returned table becomes JSON (the log's {@code outputs}, what
 * {@code (jobs id)} hands to descendants as a fresh table). Only data crosses: functions, userdata, coroutines,
 * cycles, NaN/infinity and non-string keys are errors naming where in the value they were found.
 */
public final class LuaJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;

    private LuaJson() {}

    /** @throws IllegalArgumentException naming the path of the first value that is not data */
    public static JsonNode toJson(LuaValue v) {
        return toJson(v, "outputs", new IdentityHashMap<>(), 0);
    }

    private static JsonNode toJson(LuaValue v, String path, Map<LuaTable, Boolean> open, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL:
                return F.nullNode();
            case LuaValue.TBOOLEAN:
                return F.booleanNode(v.toboolean());
            case LuaValue.TSTRING:
                return F.textNode(v.tojstring());
            case LuaValue.TNUMBER: {
                double d = v.todouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException(path + " is " + v.tojstring() + ", which JSON cannot hold");
                }
                if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return F.numberNode((long) d);
                return F.numberNode(d);
            }
            case LuaValue.TTABLE:
                if (depth >= MAX_DEPTH) throw new IllegalArgumentException(path + " is nested more than "
                        + MAX_DEPTH + " levels deep");
                LuaTable t = (LuaTable) v;
                if (open.put(t, Boolean.TRUE) != null) {
                    throw new IllegalArgumentException(path + " refers back to a table that contains it (a cycle)");
                }
                try {
                    return isSequence(t) ? array(t, path, open, depth) : object(t, path, open, depth);
                } finally {
                    open.remove(t);
                }
            default:
                throw new IllegalArgumentException(path + " is a " + v.typename() + ", which is not data"
                        + " (outputs may hold strings, numbers, booleans and tables)");
        }
    }

    private static boolean isSequence(LuaTable t) {
        int n = t.rawlen();
        if (n == 0) return false;
        int count = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            k = next.arg1();
            if (k.isnil()) break;
            if (!k.isinttype() || k.toint() < 1 || k.toint() > n) return false;
            count++;
        }
        return count == n;
    }

    private static ArrayNode array(LuaTable t, String path, Map<LuaTable, Boolean> open, int depth) {
        ArrayNode a = F.arrayNode();
        for (int i = 1; i <= t.rawlen(); i++) a.add(toJson(t.rawget(i), path + "[" + i + "]", open, depth + 1));
        return a;
    }

    private static ObjectNode object(LuaTable t, String path, Map<LuaTable, Boolean> open, int depth) {
        ObjectNode o = F.objectNode();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            k = next.arg1();
            if (k.isnil()) break;
            String key;
            if (k.type() == LuaValue.TSTRING) key = k.tojstring();
            else if (k.isinttype()) key = Integer.toString(k.toint());
            else throw new IllegalArgumentException(path + " has a " + k.typename() + " key; keys must be strings");
            o.set(key, toJson(next.arg(2), path + "." + key, open, depth + 1));
        }
        return o;
    }

    /** A fresh Lua value for a JSON value (every call builds new tables, so no job can change another's view). */
    public static LuaValue toLua(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return LuaValue.NIL;
        if (n.isBoolean()) return LuaValue.valueOf(n.booleanValue());
        if (n.isIntegralNumber()) return LuaValue.valueOf((double) n.asLong());
        if (n.isNumber()) return LuaValue.valueOf(n.doubleValue());
        if (n.isTextual()) return LuaValue.valueOf(n.textValue());
        LuaTable t = new LuaTable();
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) t.rawset(i + 1, toLua(n.get(i)));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                t.rawset(e.getKey(), toLua(e.getValue()));
            }
        }
        return t;
    }
}
