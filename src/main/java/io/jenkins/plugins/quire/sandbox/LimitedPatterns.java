package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.LuajPatternAccess;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Work done inside one Java library call is invisible to the instruction hook, so a single
 * {@code string.find} with a backtracking pattern, a {@code gsub} or {@code table.concat} bomb, or
 * an {@code unpack} of 2^31 values could pin a thread or exhaust the heap. These replacements
 * charge every pattern step to the running {@link BudgetHook}, cap pattern depth ("pattern too
 * complex"), advance {@code gmatch} past empty matches (LuaJ loops forever), and cap and charge
 * the size of every string or result list they build.
 */
public final class LimitedPatterns {
    private LimitedPatterns() {}

    /** Most results one {@code unpack}/{@code string.byte} may return. */
    public static final int MAX_RESULTS = 1_000_000;

    private static final LuaString SPECIALS = LuaValue.valueOf("^$*+?.([%-");
    /** Charges one instruction per matcher step and per 16 bytes scanned inside a step to the budget armed on this thread (looked up once per call). */
    private static LuajPatternAccess.StepCounter steps() {
        BudgetHook h = BudgetHook.current();
        if (h == null) return null;
        return new LuajPatternAccess.StepCounter() {
            @Override
            public void step() { h.charge(1); }

            @Override
            public void scanned(long bytes) { h.charge(bytes >> 4); }
        };
    }

    /**
     * Installs the limited functions into {@code string} and {@code table} (either may be null):
     * find, match, gmatch, gsub, byte, and charged upper/lower/reverse/sub/char/rep/format;
     * table.concat and table.unpack; charged table.sort/insert/remove. Install after {@code LuaFixes} (its format/rep get wrapped).
     */
    public static void install(LuaValue string, LuaValue table) {
        if (string != null && string.istable()) {
            string.set("find", new Find(true));
            string.set("match", new Find(false));
            string.set("gmatch", new GMatch());
            string.set("gsub", new GSub());
            string.set("byte", new ByteFn(string.get("byte")));
            for (String name : new String[] { "upper", "lower", "reverse", "sub", "char", "rep", "format" }) {
                LuaValue f = string.get(name);
                if (f.isfunction()) string.set(name, new Charged(name, f));
            }
            string.set("dump", LuaValue.NIL);
        }
        if (table != null && table.istable()) {
            table.set("concat", new Concat());
            table.set("unpack", new Unpack());
            ChargedTables.install(table);
        }
    }

    static int maxString() {
        BudgetHook h = BudgetHook.current();
        return h != null ? h.limits().maxStringBytes() : SandboxLimits.DEFAULTS.maxStringBytes();
    }

    static void charge(long units) {
        BudgetHook h = BudgetHook.current();
        if (h != null) h.charge(units);
    }

    static void chargeBytes(long bytes) {
        BudgetHook h = BudgetHook.current();
        if (h != null) h.chargeBytes(bytes);
    }

    private static int posrelat(int pos, int len) {
        return pos >= 0 ? pos : Math.max(len + pos + 1, 0);
    }

    /** string.find / string.match (Lua 5.2 str_find_aux). */
    static final class Find extends VarArgFunction {
        private final boolean find;

        Find(boolean find) { this.find = find; name = find ? "find" : "match"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = args.checkstring(1);
            LuaString pat = args.checkstring(2);
            int len = s.length();
            int init = posrelat(args.optint(3, 1), len);
            if (init < 1) init = 1;
            if (init > len + 1) return NIL;
            if (find && (args.arg(4).toboolean() || pat.indexOfAny(SPECIALS) == -1)) {
                int at = plainFind(s, pat, init - 1);
                return at == -1 ? NIL : varargsOf(valueOf(at + 1), valueOf(at + pat.length()));
            }
            LuajPatternAccess.Matcher ms = LuajPatternAccess.matcher(args, s, pat, steps());
            boolean anchor = pat.length() > 0 && pat.luaByte(0) == '^';
            int poff = anchor ? 1 : 0;
            int soff = init - 1;
            do {
                ms.reset();
                int res = ms.match(soff, poff);
                if (res != -1) {
                    if (find) return varargsOf(valueOf(soff + 1), valueOf(res), ms.captures(false, soff, res));
                    return ms.captures(true, soff, res);
                }
            } while (soff++ < len && !anchor);
            return NIL;
        }
    }

    /** Naive substring search charging one instruction per 64 byte comparisons (LuaJ's indexOf is uncharged, O(n*m)). */
    static int plainFind(LuaString s, LuaString pat, int from) {
        int n = s.length(), m = pat.length();
        if (m == 0) return from <= n ? from : -1;
        byte[] sb = s.m_bytes, pb = pat.m_bytes;
        int so = s.m_offset, po = pat.m_offset;
        byte first = pb[po];
        long work = 0;                       // byte comparisons not yet charged
        for (int i = from; i <= n - m; i++) {
            int j = 0;
            if (sb[so + i] == first) {
                j = 1;
                while (j < m && sb[so + i + j] == pb[po + j]) j++;
            }
            work += j + 1;
            if (work >= 1 << 16) {
                charge(work >> 6);
                work = 0;
            }
            if (j == m) return i;
        }
        charge(work >> 6);
        return -1;
    }

    /** string.gmatch: an empty match advances by one position, as in Lua 5.2. */
    static final class GMatch extends VarArgFunction {
        GMatch() { name = "gmatch"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = args.checkstring(1);
            LuaString pat = args.checkstring(2);
            return new Iterator(args, s, pat);
        }

        static final class Iterator extends VarArgFunction {
            private final LuaString s;
            private final LuajPatternAccess.Matcher ms;
            private int soff;

            Iterator(Varargs args, LuaString s, LuaString pat) {
                this.s = s;
                this.ms = LuajPatternAccess.matcher(args, s, pat, steps());
                name = "gmatch iterator";
            }

            @Override
            public Varargs invoke(Varargs args) {
                int len = s.length();
                for (; soff <= len; soff++) {
                    ms.reset();
                    int e = ms.match(soff, 0);
                    if (e != -1) {
                        int start = soff;
                        soff = e > start ? e : start + 1;
                        return ms.captures(true, start, e);
                    }
                }
                return NIL;
            }
        }
    }

    /** string.gsub with its output capped and charged while it is built. */
    static final class GSub extends VarArgFunction {
        GSub() { name = "gsub"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString src = args.checkstring(1);
            int srclen = src.length();
            LuaString pat = args.checkstring(2);
            LuaValue repl = args.arg(3);
            int maxN = args.optint(4, srclen + 1);
            int rt = repl.type();
            if (rt != TSTRING && rt != TNUMBER && rt != TTABLE && rt != TFUNCTION)
                throw new LuaError("bad argument #3 to 'gsub' (string/function/table expected, got " + repl.typename() + ")");
            boolean anchor = pat.length() > 0 && pat.luaByte(0) == '^';
            int poff = anchor ? 1 : 0;
            int max = maxString();
            LuajPatternAccess.Matcher ms = LuajPatternAccess.matcher(args, src, pat, steps());
            Buffer out = new Buffer(Math.min(srclen, max) + 16);
            long total = 0;
            int soff = 0, n = 0;
            while (n < maxN) {
                ms.reset();
                int e = ms.match(soff, poff);
                if (e != -1) {
                    n++;
                    if (rt == TSTRING || rt == TNUMBER) {   // size the replacement before building it
                        LuaString rs = repl.strvalue();
                        charge(1 + (rs.length() >> 4));
                        if (total + ms.replacementLength(rs, soff, e) > max) throw new LuaError("resulting string too large");
                    }
                    Buffer piece = new Buffer(16);
                    ms.addValue(piece, soff, e, repl);
                    LuaString ps = piece.tostring();
                    total += ps.length();
                    if (total > max) throw new LuaError("resulting string too large");
                    chargeBytes(2L * ps.length());
                    out.append(ps);
                }
                if (e != -1 && e > soff) {
                    soff = e;
                } else if (soff < srclen) {
                    if (++total > max) throw new LuaError("resulting string too large");
                    out.append((byte) src.luaByte(soff++));
                } else {
                    break;
                }
                if (anchor) break;
            }
            if (total + (srclen - soff) > max) throw new LuaError("resulting string too large");
            if (soff < srclen) out.append(src.substring(soff, srclen));
            LuaString result = out.tostring();
            chargeBytes(16 + 2L * result.length());
            return varargsOf(result, valueOf(n));
        }
    }

    /** string.byte capped at {@link #MAX_RESULTS} values. */
    static final class ByteFn extends VarArgFunction {
        private final LuaValue inner;

        ByteFn(LuaValue inner) { this.inner = inner; name = "byte"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = args.checkstring(1);
            int len = s.length();
            int i = posrelat(args.optint(2, 1), len);
            int j = posrelat(args.optint(3, i), len);
            if (i < 1) i = 1;
            if (j > len) j = len;
            if (i <= j && (long) j - i + 1 > MAX_RESULTS) throw new LuaError("string slice too long");
            if (i <= j) charge(j - i + 1);
            return inner.invoke(args);
        }
    }

    /** A string function whose result is charged to the byte budget (it was built inside one call). */
    static final class Charged extends VarArgFunction {
        private final LuaValue inner;

        Charged(String name, LuaValue inner) { this.inner = inner; this.name = name; }

        @Override
        public Varargs invoke(Varargs args) {
            Varargs r = inner.invoke(args);
            LuaValue v = r.arg1();
            if (v.type() == TSTRING) {
                int len = v.rawlen();
                if (len > maxString()) throw new LuaError("resulting string too large");
                chargeBytes(16 + 2L * len);
            }
            return r;
        }
    }

    /** table.concat with the result size summed (and refused) before anything is built. */
    static final class Concat extends VarArgFunction {
        Concat() { name = "concat"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = args.checktable(1);
            LuaString sep = args.arg(2).isnil() ? EMPTYSTRING : args.checkstring(2);
            int i = args.optint(3, 1);
            int j = args.isnoneornil(4) ? t.rawlen() : args.checkint(4);
            if (i > j) return EMPTYSTRING;
            long count = (long) j - i + 1;
            long total = 0;
            int max = maxString();
            for (long k = i; k <= j; k++) {
                LuaValue v = t.rawget((int) k);
                if (!v.isstring())
                    throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
                total += v.strvalue().length();
                if (k < j) total += sep.length();
                if (total > max) throw new LuaError("resulting string too large");
                if ((k & 1023) == 0) charge(1024);
            }
            charge(count & 1023);
            Buffer b = new Buffer((int) total);
            for (long k = i; k <= j; k++) {
                b.append(t.rawget((int) k).strvalue());
                if (k < j) b.append(sep);
            }
            chargeBytes(16 + 2 * total);
            return b.tostring();
        }
    }

    /** table.unpack / unpack refusing more than {@link #MAX_RESULTS} values. */
    static final class Unpack extends VarArgFunction {
        Unpack() { name = "unpack"; }

        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = args.checktable(1);
            int i = args.optint(2, 1);
            int j = args.isnoneornil(3) ? t.rawlen() : args.checkint(3);
            if (i > j) return NONE;
            long n = (long) j - i + 1;
            if (n >= MAX_RESULTS) throw new LuaError("too many results to unpack");
            charge(n);
            LuaValue[] v = new LuaValue[(int) n];
            for (int k = 0; k < n; k++) v[k] = t.rawget(i + k);
            return varargsOf(v);
        }
    }
}
