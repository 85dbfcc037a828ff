package io.jenkins.plugins.quire.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Converts a job's outputs, as plain Java data (Map with String keys, List, String, Boolean, Number, null), into
 * the JSON value written in {@code job-end}. Anything else is refused with the path of the offending value, so the
 * run layer can fail the job with a clear message (docs/language.md: outputs must be JSON data).
 */
public final class OutputsJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OutputsJson() {}

    /**
     * Converts {@code value}; list positions in messages are 1-based, as in Lua.
     *
     * @throws IllegalArgumentException e.g. {@code outputs.files[2] is not JSON data (a java.lang.Thread)}
     */
    public static JsonNode toJson(Object value) {
        return convert(value, "outputs");
    }

    private static JsonNode convert(Object v, String path) {
        if (v == null) return NODES.nullNode();
        if (v instanceof String s) return NODES.textNode(s);
        if (v instanceof Boolean b) return NODES.booleanNode(b);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
        {
            long l = ((Number) v).longValue();
            return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l); // as a JSON parser reads it back
        }
        if (v instanceof BigInteger b) return NODES.numberNode(b);
        if (v instanceof BigDecimal b) return NODES.numberNode(b);
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new IllegalArgumentException(path + " is not JSON data (the number " + d + ")");
            return NODES.numberNode(d);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key))
                    throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
                o.set(key, convert(e.getValue(), path + "." + key));
            }
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = NODES.arrayNode(l.size());
            for (int i = 0; i < l.size(); i++) a.add(convert(l.get(i), path + "[" + (i + 1) + "]"));
            return a;
        }
        if (v instanceof JsonNode n) return n;
        throw new IllegalArgumentException(path + " is not JSON data (a " + v.getClass().getName() + ")");
    }
}
