package io.jenkins.plugins.quire.sandbox;

import java.io.IOException;
import java.io.InputStream;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * LuaJ runs every tail call after popping the caller's frame, so {@code return error("x")} (which Fennel emits
 * for {@code (error "x")} in tail position) reports no position or the wrong line. This compiler wraps another
 * one and turns {@code TAILCALL} into {@code CALL} when the callee is the global {@code error} or
 * {@code assert}; the {@code RETURN A 0} that follows already returns all results, so semantics are unchanged.
 */
public final class ErrorTailcallCompiler implements Globals.Compiler {
    private static final int OP_MOVE = 0, OP_LOADK = 1, OP_LOADKX = 2, OP_LOADBOOL = 3, OP_LOADNIL = 4;
    private static final int OP_GETUPVAL = 5, OP_GETTABUP = 6, OP_GETTABLE = 7, OP_NEWTABLE = 11, OP_SELF = 12;
    private static final int OP_ADD = 13, OP_CONCAT = 22, OP_TESTSET = 28, OP_CALL = 29, OP_TAILCALL = 30;
    private static final int OP_FORLOOP = 32, OP_FORPREP = 33, OP_TFORCALL = 34, OP_TFORLOOP = 35;
    private static final int OP_CLOSURE = 37, OP_VARARG = 38;

    private final Globals.Compiler inner;

    public ErrorTailcallCompiler(Globals.Compiler inner) {
        this.inner = inner;
    }

    @Override
    public Prototype compile(InputStream stream, String chunkname) throws IOException {
        Prototype p = inner.compile(stream, chunkname);
        rewrite(p);
        return p;
    }

    /** Rewrites {@code p} and all nested prototypes in place; returns the number of instructions changed. */
    public static int rewrite(Prototype p) {
        int changed = 0;
        for (int pc = 0; pc < p.code.length; pc++) {
            int i = p.code[pc];
            if ((i & 0x3f) == OP_TAILCALL && calleeIsErrorOrAssert(p, pc, (i >>> 6) & 0xff)) {
                p.code[pc] = (i & ~0x3f) | OP_CALL;
                changed++;
            }
        }
        if (p.p != null) for (Prototype child : p.p) changed += rewrite(child);
        return changed;
    }

    private static boolean calleeIsErrorOrAssert(Prototype p, int pc, int reg) {
        for (int j = pc - 1; j >= 0; j--) {
            int i = p.code[j];
            if (!writes(i, reg)) continue;
            if ((i & 0x3f) != OP_GETTABUP) return false;
            int b = (i >>> 23) & 0x1ff;
            int c = (i >>> 14) & 0x1ff;
            if (b >= p.upvalues.length || p.upvalues[b].name == null) return false;
            if (!"_ENV".equals(p.upvalues[b].name.tojstring())) return false;
            if ((c & 0x100) == 0) return false;
            LuaValue k = p.k[c & 0xff];
            if (k.type() != LuaValue.TSTRING) return false;
            String name = k.tojstring();
            return name.equals("error") || name.equals("assert");
        }
        return false;
    }

    /** Whether instruction {@code i} may store into register {@code r}. */
    private static boolean writes(int i, int r) {
        int op = i & 0x3f;
        int a = (i >>> 6) & 0xff;
        int b = (i >>> 23) & 0x1ff;
        int c = (i >>> 14) & 0x1ff;
        switch (op) {
            case OP_MOVE: case OP_LOADK: case OP_LOADKX: case OP_LOADBOOL: case OP_GETUPVAL: case OP_GETTABUP:
            case OP_GETTABLE: case OP_NEWTABLE: case OP_CONCAT: case OP_TESTSET: case OP_CLOSURE: case OP_FORPREP:
            case OP_TFORLOOP:
                return r == a;
            case OP_LOADNIL:
                return r >= a && r <= a + b;
            case OP_SELF:
                return r == a || r == a + 1;
            case OP_CALL: case OP_TAILCALL:
                return r >= a;
            case OP_FORLOOP:
                return r == a || r == a + 3;
            case OP_TFORCALL:
                return r >= a + 3 && r <= a + 2 + c;
            case OP_VARARG:
                return r >= a && (b == 0 || r <= a + b - 2);
            default:
                return op >= OP_ADD && op < OP_CONCAT && r == a; // ADD..LEN
        }
    }
}
