package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once frozen. Used for the JVM-wide string metatable and the
 * shared template of string functions: LuaJ keeps those in statics shared by every VM in the JVM,
 * so no script may be able to modify them.
 */
public final class ReadOnlyTable extends LuaTable {
    private boolean frozen;

    /** Refuses all further changes; returns this table. */
    public ReadOnlyTable freeze() {
        frozen = true;
        return this;
    }

    private void refuse() {
        if (frozen) throw new LuaError("attempt to modify a read-only table");
    }

    @Override public void set(int key, LuaValue value) { refuse(); super.set(key, value); }
    @Override public void set(LuaValue key, LuaValue value) { refuse(); super.set(key, value); }
    @Override public void rawset(int key, LuaValue value) { refuse(); super.rawset(key, value); }
    @Override public void rawset(LuaValue key, LuaValue value) { refuse(); super.rawset(key, value); }
    @Override public LuaValue setmetatable(LuaValue mt) { refuse(); return super.setmetatable(mt); }
    @Override public void insert(int pos, LuaValue value) { refuse(); super.insert(pos, value); }
    @Override public LuaValue remove(int pos) { refuse(); return super.remove(pos); }
    @Override public void sort(LuaValue comparator) { refuse(); super.sort(comparator); }
    @Override public void presize(int narray) { refuse(); super.presize(narray); }
    @Override public void presize(int narray, int nhash) { refuse(); super.presize(narray, nhash); }
}
