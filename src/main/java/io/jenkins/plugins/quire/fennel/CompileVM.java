package io.jenkins.plugins.quire.fennel;

import io.jenkins.plugins.quire.sandbox.BudgetHook;
import io.jenkins.plugins.quire.sandbox.ErrorFixes;
import io.jenkins.plugins.quire.sandbox.ErrorTailcallCompiler;
import io.jenkins.plugins.quire.sandbox.LimitedPatterns;
import io.jenkins.plugins.quire.sandbox.LoadFix;
import io.jenkins.plugins.quire.sandbox.LuaFixes;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.compiler.LuajCompilerAccess;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Builds the fresh {@link Globals} one compilation runs in. Macros are user code executed here, so the VM has
 * only what Fennel needs (base, table, string, math, bit32 and a two-function {@code debug}), no io/os/luajava/
 * coroutines/print/dofile/loadfile/collectgarbage, a {@code require} that only knows preloaded modules, and an
 * {@code io.open} that finds nothing (Fennel's module search calls it). The budget hook is installed host-side;
 * the LuaJ fixes, Lua 5.2 error semantics and step-counted patterns come from the {@code sandbox} package.
 */
final class CompileVM {
    private static final String[] REMOVED = {
        "dofile", "loadfile", "loadstring", "collectgarbage", "print", "io", "os", "luajava", "coroutine", "module"
    };

    private CompileVM() {}

    static Globals newGlobals(BudgetHook hook) {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new Bit32Lib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        hook.install(g);

        LuaTable debug = CompileDebugTable.create();
        g.set("debug", debug);
        LuaValue pkg = g.get("package");
        LuaValue loaded = pkg.get("loaded");
        loaded.set("debug", debug);
        pkg.set("path", "");
        pkg.set("cpath", "");
        LuaTable searchers = new LuaTable();
        searchers.set(1, pkg.get("searchers").get(1)); // package.preload only: no files, no Java classes
        pkg.set("searchers", searchers);
        for (String name : REMOVED) {
            g.set(name, LuaValue.NIL);
            loaded.set(name, LuaValue.NIL);
        }
        LuaTable io = new LuaTable();
        io.set("open", new NoFiles());
        g.set("io", io);

        g.compiler = new ErrorTailcallCompiler(LuajCompilerAccess.INSTANCE);
        g.loader = LuaC.instance;
        g.undumper = null;
        LuaFixes.install(g);
        ErrorFixes.install(g);
        LimitedPatterns.install(g.get("string"), g.get("table")); // charged patterns: macros cannot pin the thread
        LoadFix.install(g);
        return g;
    }

    /** {@code io.open} that finds nothing: {@code include} and {@code import-macros} of files fail cleanly. */
    private static final class NoFiles extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            return varargsOf(NIL, valueOf(args.arg1().tojstring() + ": file access is disabled in the compile VM"));
        }
    }
}
