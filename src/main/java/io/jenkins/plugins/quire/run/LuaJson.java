package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import io.jenkins.plugins.quire.sandbox.LuaText;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Converts job outputs between Lua and JSON: a job's returned table becomes JSON (the log's {@code outputs}, what
 * {@code (jobs id)} hands to descendants as a fresh table). Only data crosses: functions, userdata, coroutines,
 * cycles, NaN/infinity, non-string keys and strings that are not UTF-8 text are errors naming where in the value
 * they were found.
 *
 * <p>The conversion runs on the host, outside the script's budgets, so it is bounded by {@link Limits}: the values
 * and the bytes of text are counted while walking, and a table reached twice counts twice (a value built by
 * {@code (for [i 1 40] (set t [t t]))} is tiny in Lua and 2^41 values as JSON). It stops at the first value over a
 * limit, before that value is converted.
 */
public final class LuaJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;

    /**
     * The bounds on one job's outputs: {@code maxValues} values (each table, key, string, number, boolean
     * and nil counts one) and {@code maxBytes} bytes of strings and keys (UTF-8).
     */
    public record Limits(long maxValues, long maxBytes) {
        public static final Limits DEFAULTS = new Limits(100_000, 4L << 20);
    }

    /** Thrown when outputs are over a {@link Limits} bound; the message says which. */
    public static final class TooLargeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    private LuaJson() {}

    /** {@link #toJson(LuaValue, Limits)} with {@link Limits#DEFAULTS}. */
    public static JsonNode toJson(LuaValue v) {
        return toJson(v, Limits.DEFAULTS);
    }

    /**
     * @throws TooLargeException when the outputs are over {@code limits}
     * @throws IllegalArgumentException naming the path of the first value that is not data
     */
    public static JsonNode toJson(LuaValue v, Limits limits) {
        return new Walk(limits).toJson(v, "outputs", 0);
    }

    /** One conversion: the tables on the current path (cycles) and what was counted so far. */
    private static final class Walk {
        private final Limits limits;
        private final Map<LuaTable, Boolean> open = new IdentityHashMap<>();
        private long values;
        private long bytes;

        Walk(Limits limits) {
            this.limits = limits;
        }

        private void count(long textBytes) {
            if (++values > limits.maxValues()) {
                throw new TooLargeException("outputs hold more than " + limits.maxValues() + " values (the limit;"
                        + " a table reached twice counts twice)");
            }
            bytes += textBytes;
            if (bytes > limits.maxBytes()) {
                throw new TooLargeException("outputs hold more than " + limits.maxBytes() + " bytes of text (the"
                        + " limit; a string reached twice counts twice)");
            }
        }

        JsonNode toJson(LuaValue v, String path, int depth) {
            count(v.type() == LuaValue.TSTRING ? v.checkstring().length() : 0);
            switch (v.type()) {
                case LuaValue.TNIL:
                    return F.nullNode();
                case LuaValue.TBOOLEAN:
                    return F.booleanNode(v.toboolean());
                case LuaValue.TSTRING:
                    return F.textNode(LuaText.strict(v, path));
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
                        return isSequence(t) ? array(t, path, depth) : object(t, path, depth);
                    } finally {
                        open.remove(t);
                    }
                default:
                    throw new IllegalArgumentException(path + " is a " + v.typename() + ", which is not data"
                            + " (outputs may hold strings, numbers, booleans and tables)");
            }
        }

        private ArrayNode array(LuaTable t, String path, int depth) {
            ArrayNode a = F.arrayNode();
            for (int i = 1; i <= t.rawlen(); i++) a.add(toJson(t.rawget(i), path + "[" + i + "]", depth + 1));
            return a;
        }

        private ObjectNode object(LuaTable t, String path, int depth) {
            ObjectNode o = F.objectNode();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = t.next(k);
                k = next.arg1();
                if (k.isnil()) break;
                String key;
                if (k.type() == LuaValue.TSTRING) {
                    count(k.checkstring().length());
                    key = LuaText.strict(k, path + " has a key that");
                } else if (k.isinttype()) {
                    key = Integer.toString(k.toint());
                } else {
                    throw new IllegalArgumentException(path + " has a " + k.typename() + " key; keys must be strings");
                }
                o.set(key, toJson(next.arg(2), path + "." + key, depth + 1));
            }
            return o;
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
