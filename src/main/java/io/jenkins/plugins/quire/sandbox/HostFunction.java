package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The only way host code (sh, secret, jobs, ...) is offered to scripts. It pauses the script's
 * wall clock while host code runs, turns {@link HostError} into a Lua error, hides every other
 * exception behind "&lt;name&gt;: host error (see job log)" (reporting it to the sandbox's host error
 * listener), stops promptly on abort, and names itself "function: builtin: &lt;name&gt;" instead of
 * leaking a Java class name. Implementations must return plain Lua values (fresh tables, strings,
 * numbers), never Java objects.
 */
public abstract class HostFunction extends VarArgFunction {
    private final String hostName;

    protected HostFunction(String name) {
        this.hostName = name;
        this.name = name;
    }

    /** The name scripts see. */
    public final String hostName() { return hostName; }

    /**
     * The host work. {@code vm} is the sandbox running the script (null if called outside one).
     * Throw {@link HostError} for an error the script may see.
     */
    protected abstract Varargs call(ExecSandbox vm, Varargs args) throws Exception;

    @Override
    public final Varargs invoke(Varargs args) {
        ExecSandbox vm = ExecSandbox.current();
        BudgetHook hook = BudgetHook.current();
        if (hook != null) {
            hook.checkTripped();
            hook.enterHost();
        }
        boolean ok = false;
        try {
            Varargs r = call(vm, args);
            if (r == null) r = NONE;
            for (int i = 1; i <= r.narg(); i++)   // never hand a Java object to a script
                ExecSandbox.checkNoJavaObjects(hostName + " result", r.arg(i), 2);
            ok = true;
            return r;
        } catch (HostError e) {
            throw new LuaError(e.getMessage());
        } catch (LuaError | BudgetExceeded e) {
            throw e;
        } catch (InterruptedException e) {
            if (hook != null) hook.checkTripped();
            throw new LuaError(hostName + ": interrupted");
        } catch (Exception | StackOverflowError e) {
            if (hook != null && Thread.interrupted()) hook.checkTripped();
            throw hidden(vm, e);
        } finally {
            if (hook != null) {
                if (!ok) Thread.interrupted(); // an abort's interrupt must not leak into later host calls
                hook.exitHost();
            }
        }
    }

    private LuaError hidden(ExecSandbox vm, Throwable e) {
        if (vm != null) vm.reportHostError(hostName, e);
        else ExecSandbox.defaultHostErrorListener().accept(hostName, e);
        return new LuaError(hostName + ": host error (see job log)");
    }

    @Override
    public String tojstring() {
        return "function: builtin: " + hostName;
    }

}
