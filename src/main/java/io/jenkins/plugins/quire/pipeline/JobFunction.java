package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.HostFunction;
import io.jenkins.plugins.quire.sandbox.LuaText;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code (ci.job id inputs run-fn)}: checks the argument types (a wrong type is a Lua error located at the call, which
 * stops the load) and records the job with the ci.fnl line of the call; the validation rules proper are
 * {@link PipelineBuilder}'s.
 */
final class JobFunction extends HostFunction {
    private final Registration registration;

    JobFunction(Registration registration) {
        super("ci.job");
        this.registration = registration;
    }

    @Override
    protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
        registration.requireOpen("ci.job");
        if (args.narg() > 3) {
            throw new HostError("ci.job takes 3 arguments (id inputs run-fn), got " + args.narg());
        }
        LuaValue id = args.arg(1);
        if (id.type() != LuaValue.TSTRING) {
            throw new HostError("ci.job: the job id (argument 1) must be a string such as :build, got " + describe(id));
        }
        String name = LuaText.hostArgument(id, "ci.job: the job id (argument 1)");
        List<String> inputs = inputs(name, args.arg(2));
        LuaValue runFn = args.arg(3);
        if (!runFn.isfunction()) {
            throw new HostError("ci.job: the run function (argument 3) of job '" + name + "' must be a function, got "
                    + describe(runFn));
        }
        registration.builder().job(name, inputs, vm.currentSourceLine(), runFn);
        return LuaValue.NONE;
    }

    private static List<String> inputs(String job, LuaValue value) throws HostError {
        String expected = "ci.job: the inputs (argument 2) of job '" + job
                + "' must be a sequence of job ids such as [:quire/push]";
        if (!value.istable()) throw new HostError(expected + ", got " + describe(value));
        LuaTable table = (LuaTable) value;
        int length = table.rawlen();
        int keys = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(k);
            if ((k = next.arg1()).isnil()) break;
            keys++;
        }
        if (keys != length) throw new HostError(expected + ", got a table with non-sequence keys");
        List<String> inputs = new ArrayList<>(length);
        for (int i = 1; i <= length; i++) {
            LuaValue input = table.rawget(i);
            if (input.type() != LuaValue.TSTRING) {
                throw new HostError("ci.job: input " + i + " of job '" + job + "' must be a job id string, got "
                        + describe(input));
            }
            inputs.add(LuaText.hostArgument(input, "ci.job: input " + i + " of job '" + job + "'"));
        }
        return inputs;
    }

    /** A Lua type name with the value for scalars: {@code number 42}, {@code nil}, {@code table}. */
    static String describe(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TNUMBER, LuaValue.TBOOLEAN -> v.typename() + " " + v.tojstring();
            default -> v.typename();
        };
    }
}
