package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Runs examples/ci.fnl's jobs in topological order through {@link LoadedPipeline#runJob} with a test binding that
 * executes {@code sh} on this machine (in a temporary workspace, no container), to prove that the example does what
 * its comments say (outputs flow between jobs, publish is skipped without a tag and uses its secret with one) and
 * that the {@link RuntimeBinding} hook is enough to drive a pipeline.
 */
class ExamplePipelineTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("quire.project.dir", "."), "examples", "ci.fnl");

    @TempDir
    Path workspace;

    @TempDir
    Path logs;

    /** sh via /bin/sh in the workspace; secrets from a map; jobs limited to transitive inputs. */
    private final class HostShell implements RuntimeBinding {
        final Pipeline pipeline;
        final String self;
        final Map<String, LuaValue> outputs;
        final List<String> commands;

        HostShell(Pipeline pipeline, String self, Map<String, LuaValue> outputs, List<String> commands) {
            this.pipeline = pipeline;
            this.self = self;
            this.outputs = outputs;
            this.commands = commands;
        }

        @Override
        public Varargs sh(ExecSandbox vm, Varargs args) throws Exception {
            List<String> argv = new ArrayList<>();
            LuaValue cmd = args.arg1();
            if (cmd.istable()) {
                for (int i = 1; i <= cmd.length(); i++) argv.add(cmd.get(i).tojstring());
            } else {
                argv.addAll(List.of("sh", "-c", cmd.checkjstring()));
            }
            ProcessBuilder pb = new ProcessBuilder(argv).directory(workspace.toFile());
            LuaValue env = args.arg(2).istable() ? args.arg(2).get("env") : LuaValue.NIL;
            if (env.istable()) {
                LuaValue k = LuaValue.NIL;
                while (!(k = env.next(k).arg1()).isnil()) pb.environment().put(k.tojstring(), env.get(k).tojstring());
            }
            Path err = Files.createTempFile(logs, "stderr", ".txt");
            Process p = pb.redirectError(err.toFile()).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new HostError("sh: timed out");
            commands.add(self + ": " + String.join(" ", argv) + " -> " + p.exitValue());
            LuaTable r = new LuaTable();
            r.set("exit", p.exitValue());
            r.set("stdout", stdout);
            r.set("stderr", Files.readString(err));
            r.set("cmd", String.join(" ", argv));
            return r;
        }

        @Override
        public Varargs secret(ExecSandbox vm, Varargs args) throws HostError {
            String name = args.arg1().tojstring();
            if (!name.equals("upload_token")) throw new HostError("secret '" + name + "' is not declared");
            return LuaValue.valueOf("t0ken");
        }

        @Override
        public Varargs jobs(ExecSandbox vm, Varargs args) throws HostError {
            String name = args.arg1().tojstring();
            if (!pipeline.transitiveInputs(self).contains(name)) {
                throw new HostError("job '" + self + "' cannot read '" + name + "': not among its transitive inputs");
            }
            return outputs.getOrDefault(name, LuaValue.NIL);
        }
    }

    private Map<String, LuaValue> runAll(LuaTable push, List<String> commands) throws Exception {
        Map<String, LuaValue> outputs = new LinkedHashMap<>();
        outputs.put("quire/push", push);
        try (LoadedPipeline loaded = PipelineLoader.load(EXAMPLE, SandboxLimits.defaults())) {
            for (JobDefinition job : loaded.pipeline().topologicalOrder()) {
                if (job.isSource()) continue;
                HostShell binding = new HostShell(loaded.pipeline(), job.id(), outputs, commands);
                outputs.put(job.id(), loaded.runJob(job, binding, null).arg1());
            }
        }
        return outputs;
    }

    private static LuaTable push(String tag) {
        LuaTable push = new LuaTable();
        push.set("sha", "0123456789abcdef0123456789abcdef01234567");
        push.set("branch", tag == null ? LuaValue.valueOf("main") : LuaValue.NIL);
        if (tag != null) push.set("tag", tag);
        return push;
    }

    @Test
    void branchPushBuildsAndTestsAndSkipsPublish() throws Exception {
        Files.writeString(workspace.resolve("README.md"), "hello\n");
        List<String> commands = new ArrayList<>();
        Map<String, LuaValue> out = runAll(push(null), commands);
        assertEquals("0123456789abcdef0123456789abcdef01234567", out.get("describe").get("sha").tojstring());
        assertEquals("main", out.get("describe").get("branch").tojstring());
        assertEquals(1, out.get("describe").get("files").toint());
        assertEquals("0.1.0+01234567", out.get("build").get("version").tojstring());
        assertEquals("0.1.0+01234567\n", Files.readString(workspace.resolve("dist/VERSION")));
        assertEquals("dist/VERSION", out.get("test").get("checked").tojstring());
        assertEquals(0, out.get("lint").get("todos").toint());
        assertTrue(out.get("publish").isnil(), "publish is skipped on a branch push");
        assertEquals(4, commands.size(), String.valueOf(commands));
    }

    @Test
    void tagPushPublishesWithTheSecret() throws Exception {
        List<String> commands = new ArrayList<>();
        Map<String, LuaValue> out = runAll(push("v1.0"), commands);
        assertEquals("0.1.0+01234567", out.get("publish").get("published").tojstring());
        assertTrue(commands.get(commands.size() - 1).startsWith("publish: sh -c echo publishing"), commands.toString());
    }
}
