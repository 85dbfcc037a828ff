package org.luaj.vm2.lib;

import org.luaj.vm2.Prototype;

/**
 * Lives in LuaJ's package because {@code DebugLib.NameWhat} is package-private: exposes the
 * variable-name analysis of LuaJ 3.0.1 (which Lua 5.2's "(local 'x')" message suffixes need) to
 * Quire's sandbox. Tied to LuaJ 3.0.1 internals; the sandbox tests cover it.
 */
public final class LuajDebugAccess {
    private LuajDebugAccess() {}

    /** {name, namewhat} of register {@code reg} at instruction {@code pc} of {@code p}, or null if unknown. */
    public static String[] objectName(Prototype p, int pc, int reg) {
        if (p == null || pc < 0 || pc >= p.code.length) return null;
        try {
            DebugLib.NameWhat nw = DebugLib.getobjname(p, pc, reg);
            if (nw == null || nw.name == null) return null;
            return new String[] { nw.name, nw.namewhat };
        } catch (RuntimeException e) {
            return null; // malformed analysis: no variable info rather than a broken message
        }
    }
}
