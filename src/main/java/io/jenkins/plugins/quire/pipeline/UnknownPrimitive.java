package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.HostFunction;
import org.luaj.vm2.Varargs;

/**
 * The {@code __index} of the runtime table handed to run-fns: reading any key other than sh, secret and jobs is an
 * error (as in quire), so a typo such as {@code (fn [{: shh}] ...)} fails when the job starts instead of later with
 * "attempt to call a nil value".
 */
final class UnknownPrimitive extends HostFunction {
    UnknownPrimitive() {
        super("runtime");
    }

    @Override
    protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
        String key = args.arg(2).isstring() ? args.arg(2).tojstring() : args.arg(2).typename();
        throw new HostError("unknown runtime primitive '" + key + "': expected sh, secret or jobs");
    }
}
