package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class ShCommandTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(60);

    private static LuaTable seq(String... items) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < items.length; i++) t.rawset(i + 1, LuaValue.valueOf(items[i]));
        return t;
    }

    private static String error(Varargs args) {
        return assertThrows(IllegalArgumentException.class, () -> ShCommand.parse(args, JOB_TIMEOUT)).getMessage();
    }

    @Test
    void aStringRunsThroughShMinusC() {
        ShCommand c = ShCommand.parse(LuaValue.valueOf("make test && echo ok"), JOB_TIMEOUT);
        assertEquals(List.of("sh", "-c", "make test && echo ok"), c.request().argv());
        assertEquals("make test && echo ok", c.display());
        assertEquals("/work", c.request().workDir());
    }

    @Test
    void aSequenceIsArgvDisplayedLikeQuire() {
        ShCommand c = ShCommand.parse(seq("cargo", "test", "--release"), JOB_TIMEOUT);
        assertEquals(List.of("cargo", "test", "--release"), c.request().argv());
        assertEquals("[\"cargo\", \"test\", \"--release\"]", c.display());
    }

    @Test
    void badCommandsAreRejectedWithQuiresMessages() {
        assertEquals("sh: cmd must be a non-empty sequence of strings or a shell string", error(new LuaTable()));
        assertEquals("sh: cmd must be a string or sequence of strings, got number", error(LuaValue.valueOf(3)));
        assertEquals("sh: cmd must be a string or sequence of strings, got nil", error(LuaValue.NIL));
        LuaTable mixed = seq("echo");
        mixed.rawset(2, LuaValue.TRUE);
        assertEquals("sh: cmd element 2 must be a string, got boolean", error(mixed));
    }

    @Test
    void envCwdAndTimeoutOptions() {
        LuaTable env = new LuaTable();
        env.set("CI", "true");
        env.set("N", 42);
        LuaTable opts = new LuaTable();
        opts.set("env", env);
        opts.set("cwd", "sub/dir/../x");
        opts.set("timeout", LuaValue.valueOf(1.5));
        ShCommand c = ShCommand.parse(LuaValue.varargsOf(LuaValue.valueOf("true"), opts), JOB_TIMEOUT);
        assertEquals(Map.of("CI", "true", "N", "42"), c.request().env());
        assertEquals("/work/sub/x", c.request().workDir());
        assertEquals(Duration.ofMillis(1500), c.request().timeout());
    }

    @Test
    void badOptionsNameTheOption() {
        LuaTable opts = new LuaTable();
        opts.set("cwdir", "x");
        assertEquals("sh: unknown option 'cwdir', expected env, cwd or timeout",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts)));
        LuaTable escape = new LuaTable();
        escape.set("cwd", "../../etc");
        String msg = error(LuaValue.varargsOf(LuaValue.valueOf("true"), escape));
        assertEquals(true, msg.startsWith("sh: :cwd working directory '../../etc' is outside /work"), msg);
        LuaTable timeout = new LuaTable();
        timeout.set("timeout", -1);
        assertEquals("sh: :timeout must be a positive number of seconds, got -1",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), timeout)));
        LuaTable env = new LuaTable();
        LuaTable inner = new LuaTable();
        inner.set("X", new LuaTable());
        env.set("env", inner);
        assertEquals("sh: :env value of 'X' must be a string, got table",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), env)));
        assertEquals("sh: opts must be a table, got string",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), LuaValue.valueOf("x"))));
    }

    private static final LuaValue NOT_UTF8 =
            org.luaj.vm2.LuaString.valueOf(new byte[] {'x', (byte) 0xA9, 'A', (byte) 0xFF});

    @Test
    void textThatIsNotUtf8IsRefusedNamingWhatItWas() {
        assertEquals("sh: cmd is not UTF-8 text (byte 2 of 4 is 0xA9)", error(NOT_UTF8));
        LuaTable argv = seq("echo", "x");
        argv.rawset(2, NOT_UTF8);
        assertEquals("sh: cmd element 2 is not UTF-8 text (byte 2 of 4 is 0xA9)", error(argv));
        LuaTable env = new LuaTable();
        env.set("TOKEN", NOT_UTF8);
        LuaTable opts = new LuaTable();
        opts.set("env", env);
        assertEquals("sh: :env value of 'TOKEN' is not UTF-8 text (byte 2 of 4 is 0xA9)",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts)));
        LuaTable badKey = new LuaTable();
        badKey.set(NOT_UTF8, LuaValue.valueOf("v"));
        opts.set("env", badKey);
        assertEquals("sh: :env key 'x\uFFFDA\uFFFD' is not UTF-8 text (byte 2 of 4 is 0xA9)",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts)));
        LuaTable cwd = new LuaTable();
        cwd.set("cwd", NOT_UTF8);
        assertEquals("sh: :cwd is not UTF-8 text (byte 2 of 4 is 0xA9)",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), cwd)));
    }

    @Test
    void aTimeoutBeyondTheJobTimeoutIsRefusedBeforeAnyConversion() {
        for (double huge : new double[] {1e300, 9.3e15, 3600.5}) {
            LuaTable opts = new LuaTable();
            opts.set("timeout", LuaValue.valueOf(huge));
            String msg = error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts));
            assertTrue(msg.startsWith("sh: :timeout must not exceed the job timeout (1h 00m), got "), msg);
        }
        LuaTable exact = new LuaTable();
        exact.set("timeout", 3600);
        assertEquals(Duration.ofHours(1),
                ShCommand.parse(LuaValue.varargsOf(LuaValue.valueOf("true"), exact), JOB_TIMEOUT).request().timeout());
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0, -5}) {
            LuaTable opts = new LuaTable();
            opts.set("timeout", LuaValue.valueOf(bad));
            String msg = error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts));
            assertTrue(msg.startsWith("sh: :timeout must be a positive number of seconds, got "), msg);
        }
    }

    @Test
    void anEnvNumberBeyondExactIntegersIsRefusedNotSaturated() {
        LuaTable env = new LuaTable();
        env.set("BIG", LuaValue.valueOf(1e300));
        LuaTable opts = new LuaTable();
        opts.set("env", env);
        assertEquals("sh: :env value of 'BIG' must be a string, got number 1e+300",
                error(LuaValue.varargsOf(LuaValue.valueOf("true"), opts)));
        env.set("BIG", LuaValue.valueOf(9007199254740991.0));
        assertEquals(Map.of("BIG", "9007199254740991"),
                ShCommand.parse(LuaValue.varargsOf(LuaValue.valueOf("true"), opts), JOB_TIMEOUT).request().env());
    }
}
