package io.jenkins.plugins.quire.sandbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Test helper: runs Lua in a fresh {@link ExecSandbox} with test host functions and reports the outcome. */
final class SandboxRunner {
    private SandboxRunner() {}

    /** status: ok, error, limit or aborted; value: tostring of the first result; error: the message. */
    record Outcome(String status, String value, String error, Varargs results, String traceback) {
        @Override
        public String toString() {
            return status + (value != null ? " value=" + value : "") + (error != null ? " error=" + error : "");
        }
    }

    /** Host exceptions hidden from scripts, as reported to the listener of the last sandbox. */
    static final List<Throwable> HOST_ERRORS = new CopyOnWriteArrayList<>();

    /** A host function like production's sh: {'boom'} makes it fail with a secret-bearing message. */
    static HostFunction sh() {
        return new HostFunction("sh") {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) {
                LuaValue cmd = args.arg1();
                if (cmd.istable() && "boom".equals(cmd.get(1).tojstring()))
                    throw new IllegalStateException("connect to db://admin:hunter2@db.internal");
                LuaTable r = new LuaTable();
                r.set("exit", 0);
                r.set("stdout", cmd.isstring() ? cmd : LuaValue.valueOf(""));
                r.set("line", vm == null ? 0 : vm.currentSourceLine());
                return r;
            }
        };
    }

    static Outcome run(String lua) {
        return run(lua, SandboxLimits.DEFAULTS, "ci.lua", null);
    }

    static Outcome run(String lua, SandboxLimits limits) {
        return run(lua, limits, "ci.lua", null);
    }

    static Outcome run(String lua, SandboxLimits limits, String chunk, IntUnaryOperator map) {
        try (ExecSandbox vm = ExecSandbox.create(limits)) {
            vm.setHostErrorListener((name, e) -> HOST_ERRORS.add(e));
            vm.registerGlobal("sh", sh());
            LuaTable quire = new LuaTable();
            quire.set("job", LuaValue.valueOf("job-fn"));
            vm.registerModule("quire.ci", quire);
            return execute(vm, lua, chunk, map);
        }
    }

    static Outcome execute(ExecSandbox vm, String lua, String chunk, IntUnaryOperator map) {
        try {
            Varargs r = vm.execute(lua, chunk, map);
            return new Outcome("ok", r.narg() == 0 ? null : r.arg1().tojstring(), null, r, null);
        } catch (ScriptException e) {
            return new Outcome(e.kind().name().toLowerCase(java.util.Locale.ROOT), null, e.getMessage(), null, e.traceback());
        }
    }
}
