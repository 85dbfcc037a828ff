package org.luaj.vm2.lib;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lives in LuaJ's package because {@code StringLib.MatchState} is package-private: a matcher whose
 * every step is reported to a {@link StepCounter} (so backtracking patterns are charged to the
 * script's budget) and whose recursion depth is capped (so deep patterns fail with
 * "pattern too complex" instead of a {@code StackOverflowError}). Tied to LuaJ 3.0.1 internals.
 */
public final class LuajPatternAccess {
    private LuajPatternAccess() {}

    /** Receives one call per matcher step. */
    public interface StepCounter { void step(); }

    /** PUC Lua's MAXCCALLS. */
    public static final int MAX_DEPTH = 200;

    /** A matcher over {@code s} and pattern {@code p}; {@code args} is used for error messages only. */
    public static Matcher matcher(Varargs args, LuaString s, LuaString p, StepCounter counter) {
        return new Matcher(new Counting(args, s, p, counter));
    }

    /** The public face of one counting match state. */
    public static final class Matcher {
        private final Counting ms;
        Matcher(Counting ms) { this.ms = ms; }
        /** Clears captures before a new attempt. */
        public void reset() { ms.reset(); ms.depth = 0; }
        /** End offset of a match of the whole pattern from pattern offset {@code poff} at subject offset {@code soff}, or -1. */
        public int match(int soff, int poff) { return ms.match(soff, poff); }
        /** The captures (or the whole match when {@code wholeIfNone} and there are none). */
        public Varargs captures(boolean wholeIfNone, int soff, int end) { return ms.push_captures(wholeIfNone, soff, end); }
        /** Appends the gsub replacement for the match [soff, end) to {@code out}. */
        public void addValue(Buffer out, int soff, int end, LuaValue repl) { ms.add_value(out, soff, end, repl); }
    }

    static final class Counting extends StringLib.MatchState {
        private final StepCounter counter;
        int depth;

        Counting(Varargs args, LuaString s, LuaString p, StepCounter counter) {
            super(args, s, p);
            this.counter = counter;
        }

        @Override
        int match(int soffset, int poffset) {
            if (counter != null) counter.step();
            if (++depth > MAX_DEPTH) {
                depth = 0;
                throw new LuaError("pattern too complex");
            }
            try {
                return super.match(soffset, poffset);
            } finally {
                if (depth > 0) depth--;
            }
        }
    }
}
