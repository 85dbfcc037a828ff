package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.ExecOutcome;
import io.jenkins.plugins.quire.container.ExecResult;
import io.jenkins.plugins.quire.container.ExecRequest;
import io.jenkins.plugins.quire.container.JobScratch;
import io.jenkins.plugins.quire.log.JobLog;
import io.jenkins.plugins.quire.log.LogWriteException;
import io.jenkins.plugins.quire.log.OutputKind;
import io.jenkins.plugins.quire.pipeline.RuntimeBinding;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.LuaText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * What {@code sh}, {@code secret} and {@code jobs} do for one running job: {@code sh} is one exec in the run's
 * container whose output streams into the job's log as it arrives; {@code secret} hands out a declared value and
 * registers it for redaction; {@code jobs} reads the outputs of {@code quire/push} or a transitive input.
 */
final class JobRuntime implements RuntimeBinding {
    /** The variable naming the running job in every {@code sh} of it. */
    static final String JOB_VARIABLE = "QUIRE_JOB";

    private final RunContext ctx;
    private final String jobId;
    private final Set<String> visible;
    private final Map<String, JobOutcome> finished;
    private final JobLog log;
    private int shCount;

    JobRuntime(RunContext ctx, String jobId, Set<String> visible, Map<String, JobOutcome> finished) {
        this.ctx = ctx;
        this.jobId = jobId;
        this.visible = visible;
        this.finished = finished;
        this.log = ctx.log().job(jobId);
    }

    /**
     * The job's own variables under the script's {@code :env}: {@code QUIRE_JOB} and a {@code TMPDIR} of its own, so
     * that jobs running at once in the one container do not share temporary files, and the exec user's writable HOME
     * as the container start worked it out. A script may override any of them.
     */
    private ExecRequest withJobEnvironment(ExecRequest request) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(JOB_VARIABLE, jobId);
        env.put("TMPDIR", JobScratch.dirOf(jobId));
        String home = ctx.container() == null ? null : ctx.container().home();
        if (home != null) env.put("HOME", home);
        env.putAll(request.env());
        return request.withEnv(env);
    }

    @Override
    public Varargs sh(ExecSandbox vm, Varargs args) throws Exception {
        ShCommand cmd;
        try {
            cmd = ShCommand.parse(args, ctx.options().jobTimeout());
        } catch (IllegalArgumentException e) {
            throw new HostError(e.getMessage());
        }
        int n = ++shCount;
        OutputTail out = new OutputTail(OutputTail.DEFAULT_CAPACITY);
        OutputTail err = new OutputTail(OutputTail.DEFAULT_CAPACITY);
        try {
            log.shStart(n, cmd.display());
        } catch (LogWriteException e) {
            throw new HostError("sh: " + e.getMessage()); // e.g. the job's log folder was replaced by a link
        }
        ExecResult r;
        // The output is only queued here (the log's writer thread redacts, encodes and writes it), so the thread
        // reading the exec's streams reads on while the previous chunk is written. The coalescer's chunks are ours
        // to keep, so they are queued without another copy.
        OutputCoalescer output = new OutputCoalescer((stderr, data, off, len) -> {
            if (stderr) {
                log.outputHandedOver(OutputKind.STDERR, n, data, off, len);
                err.append(data, off, len);
            } else {
                log.outputHandedOver(OutputKind.STDOUT, n, data, off, len);
                out.append(data, off, len);
            }
        }, ctx.timer());
        try {
            r = ctx.container().exec(withJobEnvironment(cmd.request()), output);
        } catch (RuntimeException e) {
            LogWriteException logFailure = logFailure(e);
            try {
                output.close();
                log.shExit(n, null, 0, null);
            } catch (LogWriteException again) {
                if (logFailure == null) logFailure = again;
            }
            if (logFailure != null) throw new HostError("sh: " + logFailure.getMessage());
            throw e;
        }
        Integer exit = r.exitCode() == ExecResult.NO_EXIT_CODE ? null : r.exitCode();
        try {
            output.close();
            log.shExit(n, exit, r.durationMs(), r.signal().orElse(null), r.oomKilled());
        } catch (LogWriteException e) {
            throw new HostError("sh: " + e.getMessage()); // e.g. the disk is full: the job fails naming the file
        }
        if (r.containerDied()) {
            String reason = r.deathReason().orElse("unknown reason");
            ctx.containerDied(reason);
            throw new HostError("container died: " + reason);
        }
        if (r.outcome() == ExecOutcome.ABORTED || r.outcome() == ExecOutcome.AGENT_DIED) {
            throw new HostError("sh: " + r.reason().orElse("aborted"));
        }
        LuaTable result = new LuaTable();
        result.rawset("exit", LuaValue.valueOf(r.exitCode()));
        result.rawset("stdout", LuaValue.valueOf(out.text()));
        result.rawset("stderr", LuaValue.valueOf(err.text()));
        result.rawset("cmd", LuaValue.valueOf(cmd.display()));
        if (r.outcome() == ExecOutcome.TIMED_OUT) result.rawset("timed-out", LuaValue.TRUE);
        if (r.outcome() == ExecOutcome.COMMAND_OOM_KILLED) result.rawset("oom-killed", LuaValue.TRUE);
        return result;
    }

    /** The log failure that made the exec fail (its output could not be written), or null. */
    private static LogWriteException logFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LogWriteException w) return w;
        }
        return null;
    }

    @Override
    public Varargs secret(ExecSandbox vm, Varargs args) throws Exception {
        LuaValue name = args.arg1();
        if (name.type() != LuaValue.TSTRING) {
            throw new HostError("secret: name must be a string, got " + name.typename());
        }
        String key = LuaText.hostArgument(name, "secret: the name");
        String value = ctx.secrets().get(key);
        if (value == null) throw new HostError("secret '" + key + "' is not declared");
        ctx.redactor().add(key, value);
        return LuaValue.valueOf(value);
    }

    @Override
    public Varargs jobs(ExecSandbox vm, Varargs args) throws Exception {
        LuaValue name = args.arg1();
        if (name.type() != LuaValue.TSTRING) {
            throw new HostError("jobs: name must be a string, got " + name.typename());
        }
        String id = LuaText.hostArgument(name, "jobs: the name");
        if (!visible.contains(id)) {
            throw new HostError("job '" + jobId + "' cannot read '" + id + "': not among its transitive inputs");
        }
        JobOutcome o = finished.get(id);
        return o == null || o.outputs() == null ? LuaValue.NIL : LuaJson.toLua(o.outputs());
    }
}
