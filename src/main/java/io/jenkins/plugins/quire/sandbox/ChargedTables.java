package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code table.sort}, {@code table.insert} and {@code table.remove} do their work inside one Java call,
 * where the instruction hook cannot see it: sorting long strings compares megabytes per comparison, and
 * inserting at the front of a long list shifts every element. These wrappers keep LuaJ's behaviour
 * and charge that work to the running {@link BudgetHook} (one instruction per comparison, per shifted
 * element and per 16 bytes compared), so such a call stops within the budget at the script's line.
 */
final class ChargedTables {
    private ChargedTables() {}

    /** Replaces sort, insert and remove in {@code table} (originals wrapped). */
    static void install(LuaValue table) {
        LuaValue insert = table.get("insert");
        LuaValue remove = table.get("remove");
        if (table.get("sort").isfunction()) table.set("sort", new Sort());
        if (insert.isfunction()) table.set("insert", new Shifting("insert", insert, 3));
        if (remove.isfunction()) table.set("remove", new Shifting("remove", remove, 2));
    }

    /** Charges the {@code len - pos + 1} elements a positioned insert/remove shifts, then delegates. */
    static final class Shifting extends VarArgFunction {
        private final LuaValue inner;
        private final int positionedArity;

        Shifting(String name, LuaValue inner, int positionedArity) {
            this.name = name;
            this.inner = inner;
            this.positionedArity = positionedArity;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LimitedPatterns.charge(1);
            if (args.arg1() instanceof LuaTable table && args.narg() >= positionedArity && args.arg(2).isnumber()) {
                long shifted = (long) table.rawlen() - args.arg(2).tolong() + 1;
                if (shifted > 0) LimitedPatterns.charge(shifted);
            }
            return inner.invoke(args);
        }
    }

    /** table.sort through LuaJ's heap sort, with every comparison charged. */
    static final class Sort extends VarArgFunction {
        Sort() { name = "sort"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = args.checktable(1);
            LuaValue comp = args.arg(2).isnil() ? null : args.checkfunction(2);
            t.sort(new Less(comp));
            return NONE;
        }
    }

    /** One comparison: the user's function (its instructions are charged as it runs) or Lua's {@code <}. */
    static final class Less extends TwoArgFunction {
        private final LuaValue comp;

        Less(LuaValue comp) { this.comp = comp; name = "sort comparator"; }

        @Override
        public LuaValue call(LuaValue a, LuaValue b) {
            LimitedPatterns.charge(1);
            if (comp != null) return comp.call(a, b);
            if (a instanceof LuaString x && b instanceof LuaString y) return valueOf(compare(x, y) < 0);
            return valueOf(a.lt_b(b));
        }
    }

    /**
     * Byte-wise comparison of two Lua strings (unsigned, as C's {@code strcmp}), charging one instruction
     * per 16 bytes compared and checking the budget every 64 KiB, so comparing long strings with a
     * long common prefix stops promptly when the budget runs out.
     */
    static int compare(LuaString x, LuaString y) {
        int n = Math.min(x.m_length, y.m_length);
        byte[] xb = x.m_bytes, yb = y.m_bytes;
        int xo = x.m_offset, yo = y.m_offset;
        int i = 0;
        while (i < n) {
            int end = Math.min(n, i + (1 << 16));
            int from = i;
            int d = java.util.Arrays.mismatch(xb, xo + i, xo + end, yb, yo + i, yo + end);
            i = d < 0 ? end : i + d;
            LimitedPatterns.charge(1 + ((i - from) >> 4));
            if (d >= 0) return (xb[xo + i] & 0xff) - (yb[yo + i] & 0xff);
        }
        return x.m_length - y.m_length;
    }
}
