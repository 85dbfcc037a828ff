package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.HostFunction;
import java.util.Locale;
import org.luaj.vm2.Varargs;

/**
 * The Lua-visible {@code sh}, {@code secret} and {@code jobs}: one host function per name and per loaded pipeline,
 * delegating to the {@link RuntimeBinding} currently installed in the shared {@link RuntimeSlot}, or refusing when
 * none is (calls at ci.fnl's top level).
 */
final class RuntimePrimitive extends HostFunction {
    /** The three primitives, in the order the runtime table lists them. */
    enum Kind { SH, SECRET, JOBS }

    private final Kind kind;
    private final RuntimeSlot slot;

    RuntimePrimitive(Kind kind, RuntimeSlot slot) {
        super(kind.name().toLowerCase(Locale.ROOT));
        this.kind = kind;
        this.slot = slot;
    }

    /** The three primitives of one VM, delegating to {@code slot}, in the order the runtime table lists them. */
    static RuntimePrimitive[] all(RuntimeSlot slot) {
        return new RuntimePrimitive[] {
            new RuntimePrimitive(Kind.SH, slot), new RuntimePrimitive(Kind.SECRET, slot), new RuntimePrimitive(Kind.JOBS, slot),
        };
    }

    /** The Lua name: {@code sh}, {@code secret} or {@code jobs}. */
    String luaName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
        RuntimeBinding binding = slot.current();
        if (binding == null) throw new HostError(luaName() + " can only be called inside a job's run function");
        return switch (kind) {
            case SH -> binding.sh(vm, args);
            case SECRET -> binding.secret(vm, args);
            case JOBS -> binding.jobs(vm, args);
        };
    }
}
