package io.jenkins.plugins.quire.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.2 behaviour that LuaJ 3.0.1 gets wrong and that both of our VMs depend on: {@code tonumber}
 * ({@code "-"} is not 0), {@code tostring} of floats ({@code %.14g}, not Java's float text), a C-compatible
 * {@code string.format}, a capped {@code string.rep} with separator, {@code setmetatable} without weak tables
 * (LuaJ's weak tables lose live keys), {@code math.log} with a base (LuaJ ignores it) and {@code _VERSION}. Without these Fennel cannot compile {@code (- a b)}.
 * Works on any {@link Globals} that holds the string library; installs into {@code _G} and its {@code string} table.
 */
public final class LuaFixes {
    /** Default cap for strings built by {@code string.rep} and {@code string.format}: 16 MiB. */
    public static final long DEFAULT_MAX_STRING_BYTES = 16L << 20;

    private static final LuaString TOSTRING = LuaValue.valueOf("__tostring");
    private static final LuaString MODE = LuaValue.valueOf("__mode");

    private LuaFixes() {}

    /** Installs every fix with the default string cap. */
    public static void install(Globals g) {
        install(g, DEFAULT_MAX_STRING_BYTES);
    }

    /** Installs every fix; {@code maxStringBytes} caps one result of {@code string.rep}/{@code string.format}. */
    public static void install(Globals g, long maxStringBytes) {
        g.set("tonumber", new ToNumber());
        g.set("tostring", new ToString());
        g.set("_VERSION", LuaValue.valueOf("Lua 5.2"));
        LuaValue rawequal = g.get("rawequal");
        if (rawequal.isfunction()) g.set("rawequal", new ChargedRawEqual(rawequal));
        LuaValue setmetatable = g.get("setmetatable");
        if (setmetatable.isfunction()) g.set("setmetatable", new StrongSetmetatable(setmetatable));
        LuaValue math = g.get("math");
        if (math.istable()) math.set("log", new Log());
        LuaValue string = g.get("string");
        if (string.istable()) {
            string.set("format", new Format(maxStringBytes));
            string.set("rep", new Rep(maxStringBytes));
        }
    }

    /** {@code luaL_tolstring}: {@code __tostring} first, numbers as {@code %.14g}, the rest as LuaJ names them. */
    public static LuaValue tolstring(LuaValue v) {
        LuaValue h = v.metatag(TOSTRING);
        if (!h.isnil()) {
            LuaValue r = h.call(v);
            if (r.type() != LuaValue.TSTRING && r.type() != LuaValue.TNUMBER) {
                throw new LuaError("'__tostring' must return a string");
            }
            return r;
        }
        if (v.type() == LuaValue.TNUMBER) return LuaValue.valueOf(CFormat.number14g(v.todouble()));
        if (v.type() == LuaValue.TSTRING) return v;
        return LuaValue.valueOf(v.tojstring());
    }

    static LuaError argError(int arg, String fn, String msg) {
        return new LuaError("bad argument #" + arg + " to '" + fn + "' (" + msg + ")");
    }

    static String typeName(Varargs args, int i) {
        return i > args.narg() ? "no value" : args.arg(i).typename();
    }

    /** {@code luaL_checknumber}: numbers and numeric strings. */
    static double checkNumber(Varargs args, int i, String fn) {
        LuaValue v = args.arg(i);
        if (v.type() == LuaValue.TNUMBER) return v.todouble();
        if (v.type() == LuaValue.TSTRING) {
            chargeScan(v);
            Double d = LuaNumberParser.parse(v.tojstring());
            if (d != null) return d;
        }
        throw argError(i, fn, "number expected, got " + typeName(args, i));
    }

    /** {@code luaL_checklstring}: strings and numbers (numbers converted with {@code %.14g}). */
    static LuaString checkString(Varargs args, int i, String fn) {
        LuaValue v = args.arg(i);
        if (v.type() == LuaValue.TSTRING) return v.checkstring();
        if (v.type() == LuaValue.TNUMBER) return LuaValue.valueOf(CFormat.number14g(v.todouble()));
        throw argError(i, fn, "string expected, got " + typeName(args, i));
    }

    /** Charges the conversion of a (possibly megabytes long) string to the running budget: one instruction per 16 bytes. */
    static void chargeScan(LuaValue s) {
        LimitedPatterns.charge(1 + (s.rawlen() >> 4));
    }

    static final class ToNumber extends VarArgFunction {
        ToNumber() {
            name = "tonumber";
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) throw argError(1, "tonumber", "value expected");
            LuaValue e = args.arg1();
            LuaValue b = args.arg(2);
            if (b.isnil()) {
                if (e.type() == LuaValue.TNUMBER) return e;
                if (e.type() == LuaValue.TSTRING) {
                    chargeScan(e);
                    Double d = LuaNumberParser.parse(e.tojstring());
                    return d == null ? NIL : LuaValue.valueOf(d);
                }
                return NIL;
            }
            int base = (int) checkNumber(args, 2, "tonumber");
            LuaString str = checkString(args, 1, "tonumber");
            chargeScan(str);
            String s = str.tojstring();
            if (base < 2 || base > 36) throw argError(2, "tonumber", "base out of range");
            Double d = LuaNumberParser.parse(s, base);
            return d == null ? NIL : LuaValue.valueOf(d);
        }
    }

    /** {@code rawequal} compares two long strings byte by byte inside one call: charged like {@code ==} (one instruction per 16 bytes). */
    static final class ChargedRawEqual extends VarArgFunction {
        private final LuaValue inner;

        ChargedRawEqual(LuaValue inner) {
            this.inner = inner;
            name = "rawequal";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue a = args.arg(1), b = args.arg(2);
            if (a instanceof LuaString x && b instanceof LuaString y && x.m_length == y.m_length && x.m_length >= 256)
                LimitedPatterns.charge(x.m_length >> 4);
            return inner.invoke(args);
        }
    }

    /** Lua 5.2's {@code math.log(x [, base])}: base 10 uses log10, any other base log(x)/log(base). */
    static final class Log extends VarArgFunction {
        Log() {
            name = "log";
        }

        @Override
        public Varargs invoke(Varargs args) {
            double x = checkNumber(args, 1, "log");
            if (args.arg(2).isnil()) return valueOf(Math.log(x));
            double base = checkNumber(args, 2, "log");
            return valueOf(base == 10.0 ? Math.log10(x) : Math.log(x) / Math.log(base));
        }
    }

    static final class ToString extends VarArgFunction {
        ToString() {
            name = "tostring";
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) throw argError(1, "tostring", "value expected");
            return tolstring(args.arg1());
        }
    }

    /** Hides {@code __mode} while the metatable is attached, so LuaJ never builds a (lossy) weak table. */
    static final class StrongSetmetatable extends VarArgFunction {
        private final LuaValue original;

        StrongSetmetatable(LuaValue original) {
            this.original = original;
            name = "setmetatable";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue mt = args.arg(2);
            if (!mt.istable()) return original.invoke(args);
            LuaTable t = (LuaTable) mt;
            LuaValue mode = t.rawget(MODE);
            if (mode.isnil()) return original.invoke(args);
            t.rawset(MODE, NIL);
            try {
                return original.invoke(args);
            } finally {
                t.rawset(MODE, mode);
            }
        }
    }

    static final class Rep extends VarArgFunction {
        private final long max;

        Rep(long max) {
            this.max = max;
            name = "rep";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = checkString(args, 1, "rep");
            double nd = checkNumber(args, 2, "rep");
            LuaString sep = args.arg(3).isnil() ? null : checkString(args, 3, "rep");
            if (!(nd >= 1)) return LuaValue.EMPTYSTRING;
            long sepLen = sep == null ? 0 : sep.length();
            double total = (double) s.length() * Math.floor(nd) + (double) sepLen * (Math.floor(nd) - 1);
            if (total > max || total >= Integer.MAX_VALUE - 16) throw new LuaError("resulting string too large");
            if (total == 0) return LuaValue.EMPTYSTRING;   // ''x2^31: no 2^31 empty copies
            int n = (int) nd;
            byte[] out = new byte[(int) total];
            int pos = 0;
            for (int i = 0; i < n; i++) {
                if (i > 0 && sep != null) {
                    sep.copyInto(0, out, pos, sep.length());
                    pos += sep.length();
                }
                s.copyInto(0, out, pos, s.length());
                pos += s.length();
            }
            return LuaString.valueOf(out);
        }
    }

    /** C-printf-compatible {@code string.format} with Lua 5.2's checks and messages. */
    static final class Format extends VarArgFunction {
        private final long max;

        Format(long max) {
            this.max = max;
            name = "format";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString fmt = checkString(args, 1, "format");
            ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.length() + 16);
            int n = fmt.length();
            int arg = 1;
            int i = 0;
            while (i < n) {
                int c = fmt.luaByte(i++);
                if (c != '%') {
                    out.write(c);
                } else if (i < n && fmt.luaByte(i) == '%') {
                    out.write('%');
                    i++;
                } else {
                    arg++;
                    if (arg > args.narg()) throw argError(arg, "format", "no value");
                    CFormat.Spec spec = new CFormat.Spec();
                    i = scan(fmt, i, spec);
                    boolean hasPrecision = spec.precision >= 0;
                    appendItem(out, spec, args, arg, hasPrecision, max);
                }
                if (out.size() > max) throw new LuaError("resulting string too large");
            }
            return LuaString.valueOf(out.toByteArray());
        }

        private static int scan(LuaString fmt, int i, CFormat.Spec spec) {
            int n = fmt.length();
            int start = i;
            while (i < n && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                switch (fmt.luaByte(i)) {
                    case '-': spec.left = true; break;
                    case '+': spec.plus = true; break;
                    case ' ': spec.space = true; break;
                    case '#': spec.alt = true; break;
                    default: spec.zero = true;
                }
                i++;
            }
            if (i - start > 5) throw new LuaError("invalid format (repeated flags)");
            int w = 0;
            int digits = 0;
            while (i < n && digits < 2 && isDigit(fmt.luaByte(i))) {
                w = w * 10 + fmt.luaByte(i++) - '0';
                digits++;
            }
            if (digits > 0) spec.width = w;
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                int p = 0;
                digits = 0;
                while (i < n && digits < 2 && isDigit(fmt.luaByte(i))) {
                    p = p * 10 + fmt.luaByte(i++) - '0';
                    digits++;
                }
                spec.precision = p;
            }
            if (i < n && isDigit(fmt.luaByte(i))) throw new LuaError("invalid format (width or precision too long)");
            spec.conversion = i < n ? (char) fmt.luaByte(i++) : '\0';
            return i;
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static void appendItem(ByteArrayOutputStream out, CFormat.Spec spec, Varargs args, int arg,
                boolean hasPrecision, long max) {
            String text;
            switch (spec.conversion) {
                case 'c': {
                    int code = (int) (long) checkNumber(args, arg, "format");
                    String body = String.valueOf((char) (code & 0xff));
                    text = CFormat.pad(spec, "", body, false);
                    break;
                }
                case 'd':
                case 'i': {
                    double d = checkNumber(args, arg, "format");
                    text = CFormat.formatSigned(spec, d);
                    if (text == null) throw argError(arg, "format", "not a number in proper range");
                    break;
                }
                case 'o':
                case 'u':
                case 'x':
                case 'X': {
                    double d = checkNumber(args, arg, "format");
                    text = CFormat.formatUnsigned(spec, d);
                    if (text == null) throw argError(arg, "format", "not a non-negative number in proper range");
                    break;
                }
                case 'e':
                case 'E':
                case 'f':
                case 'F':
                case 'g':
                case 'G':
                    text = CFormat.formatFloat(spec, checkNumber(args, arg, "format"));
                    break;
                case 'a':
                case 'A':
                    text = CFormat.formatHexFloat(spec, checkNumber(args, arg, "format"));
                    break;
                case 'q':
                    quote(out, checkString(args, arg, "format"), max);
                    return;
                case 's': {
                    LuaString s = tolstring(args.arg(arg)).checkstring();
                    if (!hasPrecision && s.length() >= 100) {
                        if (out.size() + (long) s.length() > max) throw new LuaError("resulting string too large");
                        write(out, s, s.length());
                        return;
                    }
                    int len = hasPrecision ? Math.min(spec.precision, s.length()) : s.length();
                    if (out.size() + (long) len > max) throw new LuaError("resulting string too large");
                    int padding = Math.max(0, spec.width - len);
                    if (!spec.left) repeat(out, ' ', padding);
                    write(out, s, len);
                    if (spec.left) repeat(out, ' ', padding);
                    return;
                }
                default:
                    throw new LuaError("invalid option '%" + spec.conversion + "' to 'format'");
            }
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
        }

        private static void write(ByteArrayOutputStream out, LuaString s, int len) {
            for (int i = 0; i < len; i++) out.write(s.luaByte(i));
        }

        private static void repeat(ByteArrayOutputStream out, char c, int n) {
            for (int i = 0; i < n; i++) out.write(c);
        }

        /** {@code %q} as Lua 5.2 writes it: control bytes as decimal escapes, newline as backslash-newline. */
        private static void quote(ByteArrayOutputStream out, LuaString s, long max) {
            out.write('"');
            int n = s.length();
            for (int i = 0; i < n; i++) {
                if ((i & 4095) == 0 && out.size() > max) throw new LuaError("resulting string too large");
                int c = s.luaByte(i);
                if (c == '"' || c == '\\' || c == '\n') {
                    out.write('\\');
                    out.write(c);
                } else if (c == 0 || c < 32 || c == 127) {
                    boolean digitFollows = i + 1 < n && isDigit(s.luaByte(i + 1));
                    writeAscii(out, digitFollows ? String.format("\\%03d", c) : "\\" + c);
                } else {
                    out.write(c);
                }
            }
            out.write('"');
        }

        private static void writeAscii(ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
        }
    }
}
