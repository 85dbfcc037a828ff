package io.jenkins.plugins.quire.sandbox;

import java.util.function.IntUnaryOperator;

import org.luaj.vm2.Prototype;

/**
 * A Lua chunk parsed once (by {@link ExecSandbox#compile}) that any number of execute VMs can run, each its own
 * fresh closure ({@link ExecSandbox#execute(LuaChunk)}): a pipeline load parses ci.fnl's Lua once and every job's VM
 * evaluates it again. LuaJ's {@link Prototype} is plain data that closures only read (constants are immutable Lua
 * values; upvalues live in the closure), with one exception: {@link BudgetHook} turns a tail call to a Java function
 * into a plain call by rewriting the instruction in place. So each run gets a copy of the prototype tree with its own
 * instruction arrays (cheap: ints only) and shares everything else; no VM can change what another runs.
 */
public final class LuaChunk {
    private final Prototype prototype;
    private final String chunkName;
    private final IntUnaryOperator sourceMap;

    LuaChunk(Prototype prototype, String chunkName, IntUnaryOperator sourceMap) {
        this.prototype = prototype;
        this.chunkName = chunkName;
        this.sourceMap = sourceMap;
    }

    /** The chunk name errors are located in (e.g. {@code ci.fnl}). */
    public String chunkName() {
        return chunkName;
    }

    /** Lua line to source line (0 = unknown), or null for the identity. */
    IntUnaryOperator sourceMap() {
        return sourceMap;
    }

    /** A prototype tree for one closure: shared read-only parts, private instruction arrays. */
    Prototype instance() {
        return copy(prototype);
    }

    private static Prototype copy(Prototype src) {
        Prototype c = new Prototype();
        c.k = src.k;
        c.code = src.code.clone();
        c.lineinfo = src.lineinfo;
        c.locvars = src.locvars;
        c.upvalues = src.upvalues;
        c.source = src.source;
        c.linedefined = src.linedefined;
        c.lastlinedefined = src.lastlinedefined;
        c.numparams = src.numparams;
        c.is_vararg = src.is_vararg;
        c.maxstacksize = src.maxstacksize;
        if (src.p != null) {
            c.p = new Prototype[src.p.length];
            for (int i = 0; i < src.p.length; i++) c.p[i] = copy(src.p[i]);
        }
        return c;
    }
}
