package io.jenkins.plugins.quire.pipeline;

import java.util.List;
import java.util.Objects;
import org.luaj.vm2.LuaValue;

/**
 * One node of the job graph as registered by {@code (ci.job id inputs run-fn)}, or the built-in source node
 * {@code quire/push} (no inputs, no run-fn, no line).
 *
 * @param id     the job id (path-safe for user jobs; {@code quire/push} for the source)
 * @param inputs the ids listed as inputs, in the order written (duplicates kept as written)
 * @param line   the ci.fnl line of the registering call, 0 for the built-in source
 * @param runFn  the run function, a closure of the {@code ExecSandbox} that evaluated ci.fnl; null for the source
 *               (jobs built from Java without a function get {@code LuaValue.NIL})
 */
public record JobDefinition(String id, List<String> inputs, int line, LuaValue runFn) {
    /** The only source ref: the push (or build) that triggered the run. */
    public static final String QUIRE_PUSH = "quire/push";

    public JobDefinition {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
    }

    /** The built-in {@code quire/push} source node. */
    public static JobDefinition quirePush() {
        return new JobDefinition(QUIRE_PUSH, List.of(), 0, null);
    }

    /** True for a source node ({@code quire/push}), which has no run-fn and is not run by Lua. */
    public boolean isSource() {
        return JobIds.isSourceRef(id);
    }

    /** The inputs without repetitions, in first-mention order. */
    public List<String> distinctInputs() {
        return inputs.stream().distinct().toList();
    }
}
