package io.jenkins.plugins.quire.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * A {@code load} for the compile VM. LuaJ's own {@code load(src, name, mode, envTable)} creates closures whose
 * {@code globals} is null, which silently switches off debug hooks (and with them the instruction budget) for
 * that chunk and everything it defines; Fennel loads macro code exactly that way. This {@code load} binds every
 * chunk to the VM's {@link Globals} and puts the requested environment into the {@code _ENV} upvalue instead.
 */
public final class LoadFix {
    private LoadFix() {}

    public static void install(Globals g) {
        g.set("load", new Load(g));
    }

    static final class Load extends VarArgFunction {
        private final Globals g;

        Load(Globals g) {
            this.g = g;
            name = "load";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue ld = args.arg1();
            byte[] bytes;
            String chunkname;
            if (ld.type() == LuaValue.TSTRING) {
                LuaString s = ld.checkstring();
                bytes = new byte[s.length()];
                s.copyInto(0, bytes, 0, bytes.length);
                chunkname = args.arg(2).isnil() ? s.tojstring() : args.arg(2).tojstring();
                chunkname = chunkId(chunkname);
            } else if (ld.isfunction()) {
                bytes = readPieces(ld);
                chunkname = args.arg(2).isnil() ? "=(load)" : args.arg(2).tojstring();
            } else {
                throw new LuaError("bad argument #1 to 'load' (string expected, got " + args.arg1().typename() + ")");
            }
            String mode = args.arg(3).isnil() ? "bt" : args.arg(3).tojstring();
            LuaValue env = args.narg() >= 4 ? args.arg(4) : g;
            boolean binary = bytes.length > 0 && bytes[0] == 0x1B;
            if (g.undumper == null || !binary) {
                // text only: LuaJ's loadPrototype fails with "No undumper." for mode "bt" without an undumper
                if (binary) return varargsOf(NIL, valueOf("attempt to load a binary chunk (mode is 't')"));
                if (mode.indexOf('t') < 0) {
                    return varargsOf(NIL, valueOf("attempt to load a text chunk (mode is '" + mode + "')"));
                }
                mode = "t";
            }
            try {
                Prototype p = g.loadPrototype(new ByteArrayInputStream(bytes), chunkname, mode);
                LuaClosure c = new LuaClosure(p, g);
                if (env != g && c.upValues.length > 0) c.upValues[0] = new UpValue(new LuaValue[] {env}, 0);
                return c;
            } catch (LuaError e) {
                return varargsOf(NIL, valueOf(e.getMessage()));
            } catch (IOException e) {
                return varargsOf(NIL, valueOf(String.valueOf(e.getMessage())));
            }
        }

        /**
         * LuaJ prints a chunk name verbatim, so a chunk named by its own source text would put the whole text
         * into messages; Lua names it {@code [string "first line..."]}. Names starting with {@code @} or
         * {@code =} are kept.
         */
        static String chunkId(String name) {
            if (name.startsWith("@") || name.startsWith("=")) return name;
            int nl = name.indexOf('\n');
            int max = 45; // LUA_IDSIZE 60 minus the room for [string "..."]
            String body;
            if (nl < 0 && name.length() < max) {
                body = name;
            } else {
                int len = nl >= 0 ? nl : name.length();
                body = name.substring(0, Math.min(len, max)) + "...";
            }
            return "=[string \"" + body + "\"]";
        }

        private static byte[] readPieces(LuaValue f) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                LuaValue piece = f.call();
                if (piece.isnil() || piece.length() == 0) break;
                if (piece.type() != LuaValue.TSTRING) throw new LuaError("reader function must return a string");
                LuaString s = piece.checkstring();
                for (int i = 0; i < s.length(); i++) out.write(s.luaByte(i));
            }
            return out.toByteArray();
        }
    }
}
