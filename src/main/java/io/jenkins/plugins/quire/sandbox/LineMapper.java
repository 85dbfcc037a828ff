package io.jenkins.plugins.quire.sandbox;

/**
 * Maps a line of generated Lua back to the user's source line (e.g. ci.fnl), so that every error a
 * user sees points into the file they wrote. {@code chunk} is the chunk name without its leading
 * '@' (e.g. "ci.fnl"); the result is the line to show (the input line if nothing better is known).
 */
@FunctionalInterface
public interface LineMapper {
    int map(String chunk, int luaLine);

    LineMapper IDENTITY = (chunk, line) -> line;
}
