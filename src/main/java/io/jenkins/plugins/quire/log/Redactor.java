package io.jenkins.plugins.quire.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-run registry of resolved secret values and the redaction applied to everything the logs write
 * (docs/log-format.md): each occurrence of a value becomes {@code {{ name }}}; overlapping occurrences (of one
 * value or of several) become one marker named after the first (see {@link SecretSet}). Values are added as the run
 * resolves them; text written before a value was added is not redacted retroactively.
 *
 * <p>Unlike quire there is no 8-byte minimum: any value of length ≥ 1 is redacted. Trade-off: a 1-character
 * secret redacts every occurrence of that character in the logs (and short values such as {@code yes} will mask
 * unrelated text), which is noisy but never leaks the value.
 *
 * <p>Thread-safe: values are published as immutable snapshots. One instance per run; never reuse across runs.
 * {@link #toString()} lists names only.
 */
public final class Redactor {
    private final Map<String, Set<String>> values = new TreeMap<>();
    private volatile SecretSet snapshot = SecretSet.EMPTY;

    /** Registers a resolved value under {@code name}; empty values are ignored (there is nothing to hide). */
    public synchronized void add(String name, String value) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("secret name must not be empty");
        if (value == null || value.isEmpty()) return;
        if (values.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(value)) snapshot = SecretSet.of(values);
    }

    /** True when no value is registered (redaction is then the identity). */
    public boolean isEmpty() {
        return snapshot.isEmpty();
    }

    /** Redacts a whole string (cmd, error, reasons, JSON strings). Returns {@code s} itself when nothing matched. */
    public String redact(String s) {
        SecretSet secrets = snapshot;
        if (s == null || s.isEmpty() || secrets.isEmpty()) return s;
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = new ByteBuf(in.length + 16);
        secrets.scan(in, 0, in.length, true, out);
        if (Arrays.equals(in, 0, in.length, out.array(), 0, out.size())) return s;
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }

    /** Redacts whole raw bytes (the same matcher the streams use). */
    public byte[] redact(byte[] b) {
        ByteBuf out = new ByteBuf(b.length + 16);
        snapshot.scan(b, 0, b.length, true, out);
        return out.toByteArray();
    }

    /**
     * Redacts a JSON value recursively: strings, object keys, and numbers or booleans whose text contains a value
     * (those become strings, because a redacted number is no longer a number). Returns {@code v} itself when
     * nothing changed; null stays null.
     */
    public JsonNode redact(JsonNode v) {
        if (v == null || snapshot.isEmpty()) return v;
        if (v.isTextual()) {
            String r = redact(v.textValue());
            return r.equals(v.textValue()) ? v : TextNode.valueOf(r);
        }
        if (v.isNumber() || v.isBoolean()) {
            String text = v.asText();
            String r = redact(text);
            return r.equals(text) ? v : TextNode.valueOf(r);
        }
        if (v.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(v.size());
            boolean changed = false;
            for (JsonNode e : v) {
                JsonNode r = redact(e);
                changed |= r != e;
                out.add(r);
            }
            return changed ? out : v;
        }
        if (v.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            boolean changed = false;
            for (var f : v.properties()) {
                String key = redact(f.getKey());
                JsonNode r = redact(f.getValue());
                changed |= r != f.getValue() || !key.equals(f.getKey());
                out.set(key, r);
            }
            return changed ? out : v;
        }
        return v;
    }

    /** A fresh chunked redactor for one output stream. */
    StreamRedactor newStream() {
        return new StreamRedactor(this);
    }

    SecretSet snapshot() {
        return snapshot;
    }

    @Override
    public synchronized String toString() {
        return "Redactor" + values.keySet();
    }
}
