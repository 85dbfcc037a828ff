package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.ExecRequest;
import io.jenkins.plugins.quire.sandbox.LuaText;
import io.jenkins.plugins.quire.log.Durations;
import io.jenkins.plugins.quire.sandbox.CFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The arguments of one {@code (sh cmd opts?)} call, checked and turned into an {@link ExecRequest}: a string runs as
 * {@code sh -c}, a sequence of strings is argv; {@code opts} may hold {@code :env}, {@code :cwd} (inside /work) and
 * {@code :timeout} (seconds, at most the job timeout). Every mistake is a {@link IllegalArgumentException} whose
 * message is shown to the script as is; it is raised before anything starts in the container.
 */
public final class ShCommand {
    private final ExecRequest request;
    private final String display;

    private ShCommand(ExecRequest request, String display) {
        this.request = request;
        this.display = display;
    }

    /**
     * Parses {@code (sh cmd opts?)}; the first argument is {@code cmd}.
     *
     * @param maxTimeout the largest {@code :timeout} allowed (the job's own timeout): a longer one could never
     *                   expire before the job's, and a huge one would not even fit the clock arithmetic
     */
    public static ShCommand parse(Varargs args, Duration maxTimeout) {
        LuaValue cmd = args.arg1();
        ExecRequest request;
        String display;
        if (cmd.type() == LuaValue.TSTRING) {
            display = LuaText.strict(cmd, "sh: cmd");
            request = ExecRequest.shell(display);
        } else if (cmd.istable()) {
            List<String> argv = argv((LuaTable) cmd);
            display = displayArgv(argv);
            request = ExecRequest.argv(argv);
        } else {
            throw new IllegalArgumentException("sh: cmd must be a string or sequence of strings, got "
                    + cmd.typename());
        }
        LuaValue opts = args.arg(2);
        if (!opts.isnil()) {
            if (!opts.istable()) throw new IllegalArgumentException("sh: opts must be a table, got " + opts.typename());
            request = applyOptions(request, (LuaTable) opts, maxTimeout);
        }
        return new ShCommand(request, display);
    }

    public ExecRequest request() {
        return request;
    }

    /** The command as logs show it: the shell string, or argv as {@code ["prog", "a1"]} (quire's display form). */
    public String display() {
        return display;
    }

    private static List<String> argv(LuaTable t) {
        int n = t.rawlen();
        if (n == 0) {
            throw new IllegalArgumentException("sh: cmd must be a non-empty sequence of strings or a shell string");
        }
        List<String> argv = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            LuaValue v = t.rawget(i);
            if (v.type() != LuaValue.TSTRING) {
                throw new IllegalArgumentException("sh: cmd element " + i + " must be a string, got " + v.typename());
            }
            argv.add(LuaText.strict(v, "sh: cmd element " + i));
        }
        return argv;
    }

    private static String displayArgv(List<String> argv) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < argv.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(argv.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    private static ExecRequest applyOptions(ExecRequest request, LuaTable opts, Duration maxTimeout) {
        ExecRequest out = request;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = opts.next(k);
            k = next.arg1();
            if (k.isnil()) break;
            LuaValue v = next.arg(2);
            String key = k.type() == LuaValue.TSTRING ? LuaText.lenient(k) : null;
            if ("env".equals(key)) {
                Map<String, String> env = env(v);
                try {
                    out = out.withEnv(env);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sh: :env " + e.getMessage(), e);
                }
            } else if ("cwd".equals(key)) {
                if (v.type() != LuaValue.TSTRING) {
                    throw new IllegalArgumentException("sh: :cwd must be a string, got " + v.typename());
                }
                out = withWorkDir(out, LuaText.strict(v, "sh: :cwd"));
            } else if ("timeout".equals(key)) {
                out = out.withTimeout(timeout(v, maxTimeout));
            } else {
                throw new IllegalArgumentException("sh: unknown option '" + (key != null ? key : LuaText.lenient(k))
                        + "', expected env, cwd or timeout");
            }
        }
        return out;
    }

    /** Seconds as a Duration: positive, finite and at most {@code max}, checked before any conversion. */
    private static Duration timeout(LuaValue v, Duration max) {
        if (v.type() != LuaValue.TNUMBER || !(v.todouble() > 0) || Double.isInfinite(v.todouble())) {
            throw new IllegalArgumentException("sh: :timeout must be a positive number of seconds, got "
                    + (v.type() == LuaValue.TNUMBER ? CFormat.number14g(v.todouble()) : v.typename()));
        }
        double seconds = v.todouble();
        if (seconds * 1000 > max.toMillis()) {
            throw new IllegalArgumentException("sh: :timeout must not exceed the job timeout ("
                    + Durations.format(max.toMillis()) + "), got " + CFormat.number14g(seconds) + " seconds");
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    private static ExecRequest withWorkDir(ExecRequest request, String dir) {
        try {
            return request.withWorkDir(dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sh: :cwd " + e.getMessage(), e);
        }
    }

    private static Map<String, String> env(LuaValue v) {
        if (!v.istable()) throw new IllegalArgumentException("sh: :env must be a table, got " + v.typename());
        Map<String, String> env = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = ((LuaTable) v).next(k);
            k = next.arg1();
            if (k.isnil()) break;
            LuaValue val = next.arg(2);
            if (k.type() != LuaValue.TSTRING) {
                throw new IllegalArgumentException("sh: :env keys must be strings, got " + k.typename());
            }
            // integers only where a double holds them exactly (|n| < 2^53): beyond, tolong() would saturate
            boolean integer = val.type() == LuaValue.TNUMBER && val.todouble() == Math.rint(val.todouble())
                    && Math.abs(val.todouble()) < 9.007199254740992E15;
            if (val.type() != LuaValue.TSTRING && !integer) {
                throw new IllegalArgumentException("sh: :env value of '" + LuaText.lenient(k) + "' must be a string, got "
                        + (val.type() == LuaValue.TNUMBER ? "number " + CFormat.number14g(val.todouble()) : val.typename()));
            }
            String name = LuaText.strict(k, "sh: :env key '" + LuaText.lenient(k) + "'");
            env.put(name, val.type() == LuaValue.TSTRING ? LuaText.strict(val, "sh: :env value of '" + name + "'")
                    : Long.toString(val.tolong()));
        }
        return env;
    }
}
