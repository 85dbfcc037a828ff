package org.luaj.vm2.lib;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lives in LuaJ's package because {@code StringLib.MatchState} is package-private: a matcher whose
 * every step, and every byte it scans inside a step (a long {@code [set]}, a {@code %b}, a
 * back-reference, the run of a {@code *}), is reported to a {@link StepCounter} (so one call cannot
 * do unbounded work outside the script's budget) and whose recursion depth is capped (so deep
 * patterns fail with "pattern too complex" instead of a {@code StackOverflowError}). Tied to LuaJ
 * 3.0.1 internals.
 */
public final class LuajPatternAccess {
    private LuajPatternAccess() {}

    /** Receives one call per matcher step, and the bytes scanned within steps. */
    public interface StepCounter {
        void step();

        /** {@code bytes} bytes of work done inside one step (compared, scanned); default: one step per 16. */
        default void scanned(long bytes) {
            for (long i = bytes >> 4; i > 0; i--) step();
        }
    }

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

        /**
         * The length of the string replacement {@code repl} for the match [soff, end), computed without
         * building it (a {@code %0} repeated 4000 times over a 1 MB match would be 4 GB). Invalid
         * capture references count 0: building the replacement raises their error.
         */
        public long replacementLength(LuaString repl, int soff, int end) {
            int n = repl.length();
            long total = 0;
            for (int i = 0; i < n; i++) {
                int c = repl.luaByte(i);
                if (c != '%' || i + 1 >= n) { total++; continue; }
                c = repl.luaByte(++i);
                if (c < '0' || c > '9') total++;
                else if (c == '0') total += end - soff;
                else total += captureLength(c - '1', soff, end);
            }
            return total;
        }

        private long captureLength(int k, int soff, int end) {
            if (k >= ms.level) return k == 0 ? end - soff : 0;
            int l = ms.clen[k];
            if (l == -2) return 11;           // a position capture: a number
            return Math.max(l, 0);
        }
    }

    static final class Counting extends StringLib.MatchState {
        private final StepCounter counter;
        int depth;

        Counting(Varargs args, LuaString s, LuaString p, StepCounter counter) {
            super(args, s, p);
            this.counter = counter;
        }

        @Override
        int classend(int poffset) {
            int e = super.classend(poffset);
            scanned(e - poffset);
            return e;
        }

        @Override
        boolean matchbracketclass(int c, int poffset, int ec) {
            scanned(ec - poffset);
            return super.matchbracketclass(c, poffset, ec);
        }

        @Override
        boolean singlematch(int c, int poffset, int ep) {
            scanned(1);
            return super.singlematch(c, poffset, ep);
        }

        @Override
        int matchbalance(int soff, int poff) {
            int r = super.matchbalance(soff, poff);
            scanned((r == -1 ? s.length() : r) - soff);
            return r;
        }

        @Override
        int match_capture(int soff, int l) {
            int k = l - '1';
            if (k >= 0 && k < level && clen[k] > 0) scanned(clen[k]);
            return super.match_capture(soff, l);
        }

        private long pending;

        /** Sums small amounts so that single bytes cost no more than a counter increment. */
        private void scanned(long bytes) {
            if (counter == null || bytes <= 0) return;
            pending += bytes;
            if (pending >= 256) {
                long p = pending;
                pending = 0;
                counter.scanned(p);
            }
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
