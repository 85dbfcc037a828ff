package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.HostFunction;
import io.jenkins.plugins.quire.sandbox.LuaText;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Why: {@code (ci.cache path)} declares a directory that outlives the run (docs/language.md, Caches). A wrong type is
 * a Lua error at the call; a path that is not allowed or declared twice is a definition error of the
 * {@link PipelineBuilder}, reported with the call's ci.fnl line together with the other errors.
 */
final class CacheFunction extends HostFunction {
    private final Registration registration;

    CacheFunction(Registration registration) {
        super("ci.cache");
        this.registration = registration;
    }

    @Override
    protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
        registration.requireOpen("ci.cache");
        if (args.narg() > 1) throw new HostError("ci.cache takes 1 argument (the cache directory), got " + args.narg());
        LuaValue path = args.arg(1);
        if (path.type() != LuaValue.TSTRING) {
            throw new HostError("ci.cache: the cache directory must be a string such as \"~/.m2\" or \"/cache/pip\", got "
                    + JobFunction.describe(path));
        }
        registration.builder().cache(LuaText.hostArgument(path, "ci.cache: the cache directory"), vm.currentSourceLine());
        return LuaValue.NONE;
    }
}
