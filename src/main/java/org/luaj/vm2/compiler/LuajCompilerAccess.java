package org.luaj.vm2.compiler;

import java.io.IOException;
import java.io.InputStream;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Lives in LuaJ's package because the parser's state ({@code LexState}, {@code FuncState}) is
 * package-private: drives LuaJ 3.0.1's compiler the way {@code LuaC.compile} does, but keeps the
 * lexer so its limit errors can be given as Lua 5.2 gives them, with the line and the token
 * ({@code ci.fnl:201: too many local variables (limit is 200) in main function near '='}).
 * LuaJ's own limit reporting dereferences a field it never sets (a NullPointerException naming
 * its internals), says "chunk has too many syntax levels" without a token, and fails more than
 * 262143 constants with "compiler assert failed". Tied to LuaJ 3.0.1 internals; the sandbox
 * tests compare every message with lua5.2.
 */
public final class LuajCompilerAccess implements Globals.Compiler {
    /** The compiler to install as {@code globals.compiler} (stateless). */
    public static final LuajCompilerAccess INSTANCE = new LuajCompilerAccess();

    private static final int MAX_CONSTANTS = 262143;   // LuaJ has no LOADKX: MAXARG_Bx
    private static final int MAX_LEVELS = 200;          // LUAI_MAXCCALLS

    private LuajCompilerAccess() {}

    @Override
    public Prototype compile(InputStream stream, String chunkname) throws IOException {
        LuaC.CompileState state = new LuaC.CompileState();
        LexState ls = new LexState(state, stream);
        FuncState fs = new FuncState();
        ls.fs = fs;
        ls.setinput(state, stream.read(), stream, LuaValue.valueOf(chunkname));
        fs.f = new Prototype();
        fs.f.source = LuaValue.valueOf(chunkname);
        try {
            ls.mainfunc(fs);
        } catch (NullPointerException e) {
            String what = limitOf(e);
            if (what == null) throw e;
            throw limitError(ls, what.equals("upvalues") ? 255 : 200, what);
        } catch (LuaError e) {
            String m = e.getMessage();
            if (m == null) throw e;
            if (m.endsWith(": chunk has too many syntax levels")) throw limitError(ls, MAX_LEVELS, "C levels");
            if (m.equals("compiler assert failed")) {
                if (ls.fs != null && ls.fs.nk > MAX_CONSTANTS) throw limitError(ls, MAX_CONSTANTS, "constants");
                throw syntaxError(ls, "chunk too large for the Lua compiler");
            }
            for (String bare : new String[] { "control structure too long", "function or expression too complex" })
                if (m.endsWith(": " + bare)) throw syntaxError(ls, bare);     // LuaJ leaves out the token
            throw e;
        }
        return fs.f;
    }

    /** The limit a NullPointerException from LuaJ's {@code FuncState.errorlimit} was reporting, or null if it came from elsewhere. */
    private static String limitOf(NullPointerException e) {
        StackTraceElement[] st = e.getStackTrace();
        if (st.length < 3 || !st[0].getClassName().equals(FuncState.class.getName()) || !st[0].getMethodName().equals("errorlimit"))
            return null;
        for (int i = 1; i < Math.min(st.length, 4); i++) {
            String m = st[i].getMethodName();
            if (m.equals("new_localvar")) return "local variables";
            if (m.equals("newupvalue")) return "upvalues";
        }
        return "items in a constructor";
    }

    /** Lua 5.2's {@code errorlimit}: "too many X (limit is N) in main function near 'tok'". */
    private static LuaError limitError(LexState ls, int limit, String what) {
        FuncState fs = ls.fs;
        int line = fs == null || fs.f == null ? 0 : fs.f.linedefined;
        String where = line == 0 ? "main function" : "function at line " + line;
        return syntaxError(ls, "too many " + what + " (limit is " + limit + ") in " + where);
    }

    /** {@code luaX_syntaxerror}: the message at the lexer's line, near the current token (LuaJ's own leaves the token out). */
    private static LuaError syntaxError(LexState ls, String msg) {
        String located;
        try {
            ls.lexerror(msg, 0);
            located = msg;
        } catch (LuaError e) {
            located = e.getMessage();
        }
        int token = currentToken(ls);
        if (token == 0) return new LuaError(located);
        String text = ls.txtToken(token).replace("\0", "").stripTrailing();
        return new LuaError(located + " near " + (text.equals("<eof>") ? text : "'" + text + "'"));
    }

    /** {@code ls.t.token}; the {@code Token} class is private to {@code LexState}, so read reflectively (0 if unreadable). */
    private static int currentToken(LexState ls) {
        try {
            Object t = TOKEN_FIELD.get(ls);
            java.lang.reflect.Field f = t.getClass().getDeclaredField("token");
            f.setAccessible(true);
            return f.getInt(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    private static final java.lang.reflect.Field TOKEN_FIELD = tokenField();

    private static java.lang.reflect.Field tokenField() {
        try {
            java.lang.reflect.Field f = LexState.class.getDeclaredField("t");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
