package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.RunLuaBudget;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One job's own execute VM, so jobs run at the same time on their own threads and cannot reach each other's Lua
 * state: a fresh {@link ExecSandbox} evaluates ci.fnl's once-parsed chunk again (top level; {@code sh}/{@code secret}/
 * {@code jobs} refuse there as at load time), checks that this registered exactly what the validated pipeline holds
 * (job ids, inputs in order, run-fns, image), and keeps this VM's own run-fn of the job. The binding given to
 * {@link #run} is installed in this VM only. Opened with {@link LoadedPipeline#openJob}; close it when the job ends.
 *
 * <p>Thread use: {@link #run} from the job's thread (the Lua runs on the VM's own thread), {@link #abort} from any.
 */
public final class JobVm implements AutoCloseable {
    private final JobDefinition job;
    private final ExecSandbox sandbox;
    private final RuntimeSlot slot;
    private final RuntimePrimitive[] primitives;
    private final UnknownPrimitive unknown = new UnknownPrimitive();
    private LuaValue runFn = LuaValue.NIL;

    private JobVm(JobDefinition job, ExecSandbox sandbox, RuntimeSlot slot, RuntimePrimitive[] primitives) {
        this.job = job;
        this.sandbox = sandbox;
        this.slot = slot;
        this.primitives = primitives;
    }

    /** Evaluates the chunk again in a fresh VM for {@code job}; see {@link LoadedPipeline#openJob}. */
    static JobVm open(LoadedPipeline loaded, JobDefinition job, SandboxLimits limits, RunLuaBudget pool,
            UnaryOperator<String> redaction) throws ScriptException {
        RuntimeSlot slot = new RuntimeSlot();
        RuntimePrimitive[] primitives = RuntimePrimitive.all(slot);
        ExecSandbox vm = ExecSandbox.create(limits);
        JobVm jobVm = new JobVm(job, vm, slot, primitives);
        boolean opened = false;
        try {
            vm.setAllocationPool(pool);
            vm.setRedaction(redaction);
            Registration registration = new Registration();
            LuaTable module = new LuaTable();
            module.rawset("job", new JobFunction(registration));
            module.rawset("image", new ImageFunction(registration));
            module.rawset("cache", new CacheFunction(registration));
            vm.registerModule(PipelineLoader.MODULE, module);
            for (RuntimePrimitive p : primitives) vm.registerGlobal(p.luaName(), p);
            String again = "while evaluating " + loaded.fileName() + " again for job '" + job.id() + "'";
            try {
                vm.execute(loaded.chunk());
            } catch (ScriptException e) {
                throw new ScriptException(e.kind(), e.getMessage() + " (" + again + ")", null);
            } finally {
                registration.close();
            }
            jobVm.runFn = sameRegistration(loaded, job, registration.builder());
            opened = true;
            return jobVm;
        } finally {
            if (!opened) vm.close();
        }
    }

    /** This VM's run-fn of {@code job}, after checking the re-evaluation registered what validation saw. */
    static LuaValue sameRegistration(LoadedPipeline loaded, JobDefinition job, PipelineBuilder again)
            throws ScriptException {
        Pipeline validated = loaded.pipeline();
        List<JobDefinition> expected = validated.userJobs();
        List<JobDefinition> got = again.registeredJobs();
        String file = loaded.fileName();
        String prefix = file + ": evaluating the file again for job '" + job.id() + "' registered ";
        String suffix = "; its top level must register the same jobs every time it runs";
        if (!again.definitionErrors().isEmpty() || !ids(expected).equals(ids(got))) {
            throw mismatch(prefix + "different jobs (" + String.join(", ", ids(got)) + " instead of "
                    + String.join(", ", ids(expected)) + ")" + suffix);
        }
        for (int i = 0; i < expected.size(); i++) {
            JobDefinition e = expected.get(i), g = got.get(i);
            if (!e.inputs().equals(g.inputs())) {
                throw mismatch(prefix + "job '" + g.id() + "' with inputs [" + String.join(" ", g.inputs())
                        + "] instead of [" + String.join(" ", e.inputs()) + "]" + suffix);
            }
            if (e.runFn().isfunction() != g.runFn().isfunction()) {
                throw mismatch(prefix + "job '" + g.id() + "' " + (g.runFn().isfunction() ? "with" : "without")
                        + " a run function" + suffix);
            }
        }
        String image = validated.image().orElse(null);
        if (!Objects.equals(image, again.registeredImage())) {
            throw mismatch(prefix + (again.registeredImage() == null ? "no image" : "image '" + again.registeredImage()
                    + "'") + " instead of " + (image == null ? "none" : "'" + image + "'") + suffix);
        }
        return got.stream().filter(j -> j.id().equals(job.id())).findFirst().orElseThrow().runFn();
    }

    private static List<String> ids(List<JobDefinition> jobs) {
        return jobs.stream().map(JobDefinition::id).collect(Collectors.toList());
    }

    private static ScriptException mismatch(String message) {
        return new ScriptException(ScriptException.Kind.ERROR, message, null);
    }

    /** This VM's run-fn (tests). */
    LuaValue runFnForTest() {
        return runFn;
    }

    /** The job this VM runs (as validated). */
    public JobDefinition job() {
        return job;
    }

    /**
     * Calls this VM's run-fn of the job with a fresh runtime table whose {@code sh}/{@code secret}/{@code jobs} act
     * through {@code binding} (installed in this VM only, and only during the call), under a fresh {@code budget}
     * (null: the load's limits). Blocks until the run-fn returns.
     *
     * @return what the run-fn returned (first value: a table of outputs, nil for skipped, or another value)
     * @throws ScriptException the run-fn's error located in ci.fnl, a limit, or ABORTED after {@link #abort}
     */
    public Varargs run(RuntimeBinding binding, SandboxLimits budget) throws ScriptException {
        try (RuntimeScope scope = new RuntimeScope(slot, binding)) {
            return sandbox.call(runFn, LoadedPipeline.runtimeTable(primitives, unknown), budget);
        }
    }

    /** Stops the running run-fn (also a host call blocked in Java) and any later one, with {@code reason}. Any thread. */
    public void abort(String reason) {
        sandbox.abortAllRuns(reason);
    }

    /** Ends the VM's thread. */
    @Override
    public void close() {
        sandbox.close();
    }
}
