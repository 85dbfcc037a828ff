package io.jenkins.plugins.quire.fennel;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The only {@code debug} the compile VM offers: Fennel references {@code debug.traceback} (as the handler of
 * macro calls) and {@code debug.getinfo}. Macros are user code, so nothing that can reach hooks, upvalues,
 * metatables or the registry is offered. {@code traceback} returns the message unchanged (no host frames leak
 * into compile errors) and {@code getinfo} knows no stack levels.
 */
final class CompileDebugTable {
    private CompileDebugTable() {}

    static LuaTable create() {
        LuaTable debug = new LuaTable();
        debug.set("traceback", new Traceback());
        debug.set("getinfo", new GetInfo());
        return debug;
    }

    private static final class Traceback extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue msg = args.arg1();
            if (args.narg() == 0 || msg.isnil()) return valueOf("");
            return msg;
        }
    }

    private static final class GetInfo extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue target = args.arg1();
            if (!target.isfunction()) return NIL;
            LuaTable info = new LuaTable();
            boolean lua = target.isclosure();
            info.set("what", lua ? "Lua" : "C");
            info.set("source", lua ? "=?" : "=[C]");
            info.set("short_src", lua ? "?" : "[C]");
            info.set("currentline", -1);
            info.set("linedefined", lua ? target.checkclosure().p.linedefined : -1);
            info.set("lastlinedefined", lua ? target.checkclosure().p.lastlinedefined : -1);
            info.set("func", target);
            return info;
        }
    }
}
