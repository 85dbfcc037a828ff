package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.pipeline.RuntimeBinding;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import org.luaj.vm2.Varargs;

/** Why: the Lua side of one running job, behind one small type, so that the job's execution does not care how. */
final class JobLua implements AutoCloseable {
    private final LoadedPipeline pipeline;
    private final JobDefinition job;
    private final SandboxLimits limits;

    private JobLua(LoadedPipeline pipeline, JobDefinition job, SandboxLimits limits) {
        this.pipeline = pipeline;
        this.job = job;
        this.limits = limits;
    }

    static JobLua open(LoadedPipeline pipeline, JobDefinition job, SandboxLimits limits) throws ScriptException {
        return new JobLua(pipeline, job, limits);
    }

    Varargs run(RuntimeBinding binding) throws ScriptException {
        return pipeline.runJob(job, binding, limits);
    }

    void abort(String reason) {
        pipeline.sandbox().abort(reason);
    }

    @Override
    public void close() {}
}
