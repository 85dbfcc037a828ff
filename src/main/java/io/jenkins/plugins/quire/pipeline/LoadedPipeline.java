package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.fennel.CompiledScript;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.LuaChunk;
import io.jenkins.plugins.quire.sandbox.RunLuaBudget;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.function.UnaryOperator;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A validated pipeline together with the execute VM whose closures its run-fns are, and ci.fnl's Lua parsed once.
 * Jobs that run at the same time each get their own VM: {@link #openJob} evaluates the parsed chunk again in a fresh
 * sandbox and gives a {@link JobVm} that runs that VM's run-fn of the job (jobs share nothing but the run's
 * {@link RunLuaBudget}). The older single-VM path, {@link #runJob} (or by hand: {@link #bindRuntime} then
 * {@code sandbox().call(job.runFn(), runtimeTable(), budget)}), runs every job in the validation VM, one at a time.
 * Closing it closes the validation VM (each JobVm is closed by whoever opened it).
 */
public final class LoadedPipeline implements AutoCloseable {
    private final Pipeline pipeline;
    private final ExecSandbox sandbox;
    private final CompiledScript script;
    private final String source;
    private final RuntimeSlot slot;
    private final RuntimePrimitive[] primitives;
    private final UnknownPrimitive unknownPrimitive = new UnknownPrimitive();
    private final LuaChunk chunk;
    private final SandboxLimits limits;
    private volatile UnaryOperator<String> redaction;

    LoadedPipeline(Pipeline pipeline, ExecSandbox sandbox, CompiledScript script, String source, RuntimeSlot slot,
            RuntimePrimitive[] primitives, LuaChunk chunk, SandboxLimits limits) {
        this.chunk = chunk;
        this.limits = limits;
        this.pipeline = pipeline;
        this.sandbox = sandbox;
        this.script = script;
        this.source = source;
        this.slot = slot;
        this.primitives = primitives.clone();
    }

    /** The validated model. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The execute VM that evaluated ci.fnl; the run-fns are its closures and must be called through it. */
    public ExecSandbox sandbox() {
        return sandbox;
    }

    /** The compiled Lua and its line map (ci.fnl lines for Lua lines). */
    public CompiledScript script() {
        return script;
    }

    /** The ci.fnl text that was loaded. */
    public String source() {
        return source;
    }

    /** The file name errors are located in (also the Lua chunk name). */
    public String fileName() {
        return script.fileName();
    }

    /**
     * A fresh runtime table {@code {: sh : secret : jobs}} to pass to a run-fn (fresh per call, so a job that
     * modifies its table cannot affect the next). Its functions delegate to the binding installed at call time;
     * reading any other key raises {@code unknown runtime primitive '<key>': expected sh, secret or jobs}.
     */
    public LuaTable runtimeTable() {
        return runtimeTable(primitives, unknownPrimitive);
    }

    static LuaTable runtimeTable(RuntimePrimitive[] primitives, UnknownPrimitive unknownPrimitive) {
        LuaTable table = new LuaTable();
        for (RuntimePrimitive p : primitives) table.rawset(p.luaName(), p);
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, unknownPrimitive);
        meta.rawset(LuaValue.valueOf("__metatable"), LuaValue.FALSE);
        table.setmetatable(meta);
        return table;
    }

    /**
     * Runs one job's run-fn: installs {@code binding}, calls the run-fn with a fresh {@link #runtimeTable()} under a
     * fresh {@code budget} (null: the sandbox's limits), and uninstalls the binding whatever happens.
     *
     * @return what the run-fn returned (first value: a table of outputs, nil for skipped, or another value)
     * @throws ScriptException the run-fn's error, located in ci.fnl ({@code ci.fnl:12: ...}), or a limit/abort
     * @throws IllegalArgumentException for the source node quire/push, which has no run-fn
     */
    public Varargs runJob(JobDefinition job, RuntimeBinding binding, SandboxLimits budget) throws ScriptException {
        if (job.isSource()) throw new IllegalArgumentException(job.id() + " is a source and has no run function");
        try (RuntimeScope scope = bindRuntime(binding)) {
            return sandbox.call(job.runFn(), runtimeTable(), budget);
        }
    }

    /**
     * Makes {@code sh}/{@code secret}/{@code jobs} act through the given binding until the returned scope is closed.
     *
     * @throws IllegalStateException if another binding is installed
     */
    public RuntimeScope bindRuntime(RuntimeBinding binding) {
        return new RuntimeScope(slot, binding);
    }

    /** ci.fnl's Lua, parsed once at load; every {@link JobVm} runs its own closure of it. */
    LuaChunk chunk() {
        return chunk;
    }

    /**
     * The redaction applied to script values rendered into error messages (see {@link ExecSandbox#setRedaction}),
     * in the validation VM and in every {@link JobVm} opened afterwards.
     */
    public void setRedaction(UnaryOperator<String> redaction) {
        this.redaction = redaction;
        sandbox.setRedaction(redaction);
    }

    /**
     * A fresh execute VM for {@code job}: evaluates ci.fnl's top level again in it ({@code sh}/{@code secret}/
     * {@code jobs} refuse there), checks that this registered the same job ids, inputs, run-fns and image as the
     * validated pipeline, and keeps that VM's own run-fn of the job. Its allocations are charged to {@code shared},
     * the run's pool (null: a pool of its own). Under the load's limits; the VM gets this pipeline's redaction.
     *
     * @throws ScriptException the re-evaluation failed (its message, located in ci.fnl, says it was the re-evaluation)
     *         or registered something else ({@code ci.fnl: evaluating the file again for job 'b' registered different
     *         jobs (...)}): a top level that is not deterministic
     * @throws IllegalArgumentException for a source such as quire/push, which has no run-fn
     */
    public JobVm openJob(JobDefinition job, RunLuaBudget shared) throws ScriptException {
        if (job.isSource()) throw new IllegalArgumentException(job.id() + " is a source and has no run function");
        if (pipeline.job(job.id()).isEmpty()) throw new IllegalArgumentException("no job '" + job.id() + "' in this pipeline");
        return JobVm.open(this, job, limits, shared, redaction);
    }

    /** Closes the execute VM. */
    @Override
    public void close() {
        sandbox.close();
    }
}
