package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import org.luaj.vm2.Varargs;

/**
 * The hook through which the run package gives {@code sh}, {@code secret} and {@code jobs} their meaning for the job
 * that is running. The globals (and the runtime table handed to run-fns) are host functions created at load time;
 * they delegate to the binding installed with {@link LoadedPipeline#bindRuntime(RuntimeBinding)}. With no binding
 * installed (while ci.fnl's top level runs, or between jobs) they raise
 * {@code <name> can only be called inside a job's run function}.
 *
 * <p>Each method runs on the sandbox's Lua thread, inside the calling job's budget. Throw the sandbox's
 * {@code HostError} for a Lua-visible error (it is located at the calling ci.fnl line); any other exception is
 * reported by the sandbox as a host failure.
 */
public interface RuntimeBinding {
    /** {@code (sh cmd opts?)}: run a command; returns the result table. */
    Varargs sh(ExecSandbox vm, Varargs args) throws Exception;

    /** {@code (secret name)}: the value of a declared secret. */
    Varargs secret(ExecSandbox vm, Varargs args) throws Exception;

    /** {@code (jobs name)}: outputs of quire/push or of a transitive input job. */
    Varargs jobs(ExecSandbox vm, Varargs args) throws Exception;
}
