package io.jenkins.plugins.quire.fennel;

import java.util.Arrays;

/**
 * The result of compiling one Fennel file: the Lua text and Fennel's source map, so that a runtime error at a
 * Lua line can be reported at the line of the user's {@code ci.fnl}.
 *
 * @param fileName the name the source was compiled under (also the chunk name to load the Lua with)
 * @param lua      the generated Lua source
 * @param lineMap  {@code lineMap[luaLine]} = Fennel line, 0 where Fennel recorded none (index 0 unused)
 */
public record CompiledScript(String fileName, String lua, int[] lineMap) {
    public CompiledScript {
        lineMap = lineMap == null ? new int[0] : lineMap.clone();
    }

    @Override
    public int[] lineMap() {
        return lineMap.clone();
    }

    /** The Fennel line for a Lua line; an unmapped line uses the nearest mapped line above it; 0 when unknown. */
    public int sourceLine(int luaLine) {
        for (int l = Math.min(luaLine, lineMap.length - 1); l >= 1; l--) {
            if (lineMap[l] > 0) return lineMap[l];
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledScript c && c.fileName.equals(fileName) && c.lua.equals(lua)
                && Arrays.equals(c.lineMap, lineMap);
    }

    @Override
    public int hashCode() {
        return fileName.hashCode() * 31 + lua.hashCode();
    }

    @Override
    public String toString() {
        return "CompiledScript[" + fileName + ", " + lua.length() + " chars of Lua]";
    }
}
