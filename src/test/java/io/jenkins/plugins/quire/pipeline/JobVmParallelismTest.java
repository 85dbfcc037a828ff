package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.RunLuaBudget;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Job VMs run at the same time on their own threads: a run-fn spinning in a tight Lua loop does not hold up another
 * job's host calls (no JVM-wide lock is held for the length of a run). Asserted on the order of recorded events.
 */
class JobVmParallelismTest {
    private static final String PIPELINE = HEAD
            + "(ci.job :spin [:quire/push]\n"
            + "  (fn [{: sh}]\n"
            + "    (sh \"start\")\n"
            + "    (var polls 0)\n"
            + "    (var stop false)\n"
            + "    (while (and (not stop) (< polls 3000))\n"
            + "      (for [i 1 200] (for [j 1 200] nil))\n"     // a tight loop; small integers allocate nothing
            + "      (set polls (+ polls 1))\n"
            + "      (set stop (. (sh \"poll\") :stop)))\n"
            + "    (sh \"end\")\n"
            + "    {:stopped stop}))\n"
            + "(ci.job :talk [:quire/push]\n"
            + "  (fn [{: sh}]\n"
            + "    (for [i 1 50] (sh (.. \"talk \" i)))\n"
            + "    {:talked 50}))\n";

    private static final SandboxLimits LONG = SandboxLimits.DEFAULTS.withMaxInstructions(0).withCpuTimeMillis(120_000);

    /** Every sh call of both jobs, in the order they happened, with the calling thread. */
    private static final class Events implements RuntimeBinding {
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch spinStarted = new CountDownLatch(1);
        final AtomicBoolean talkDone = new AtomicBoolean();

        @Override
        public Varargs sh(ExecSandbox vm, Varargs args) {
            String cmd = args.arg1().tojstring();
            LuaTable r = new LuaTable();
            if (cmd.equals("poll")) {
                r.set("stop", LuaValue.valueOf(talkDone.get()));
                return r;
            }
            order.add(cmd);
            threads.add(cmd.split(" ")[0] + "@" + Thread.currentThread().getName());
            if (cmd.equals("start")) spinStarted.countDown();
            if (cmd.equals("talk 50")) talkDone.set(true);
            return r;
        }

        @Override
        public Varargs secret(ExecSandbox vm, Varargs args) throws HostError {
            throw new HostError("no secrets here");
        }

        @Override
        public Varargs jobs(ExecSandbox vm, Varargs args) throws HostError {
            throw new HostError("no jobs here");
        }
    }

    private static CompletableFuture<Object> runAsync(JobVm vm, RuntimeBinding binding) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return vm.run(binding, LONG).arg1();
            } catch (ScriptException e) {
                return e;
            }
        });
    }

    @Test
    void aSpinningJobDoesNotStallAnotherJobsHostCalls() throws Exception {
        Events events = new Events();
        RunLuaBudget pool = RunLuaBudget.of(LONG);
        try (LoadedPipeline loaded = load(PIPELINE);
             JobVm spin = loaded.openJob(loaded.pipeline().job("spin").orElseThrow(), pool);
             JobVm talk = loaded.openJob(loaded.pipeline().job("talk").orElseThrow(), pool)) {
            CompletableFuture<Object> spinning = runAsync(spin, events);
            assertTrue(events.spinStarted.await(60, TimeUnit.SECONDS));
            Object talked = runAsync(talk, events).get(120, TimeUnit.SECONDS);
            Object spun = spinning.get(120, TimeUnit.SECONDS);
            assertTrue(talked instanceof LuaValue t && t.get("talked").toint() == 50, String.valueOf(talked));
            assertTrue(spun instanceof LuaValue s && s.get("stopped").toboolean(),
                    "spin was still looping when talk finished, and saw it: " + spun);
            List<String> order = List.copyOf(events.order);
            int start = order.indexOf("start"), end = order.indexOf("end");
            int first = order.indexOf("talk 1"), last = order.indexOf("talk 50");
            assertTrue(start < first && last < end, "all of talk's sh calls ran while spin looped: " + order);
            List<String> threads = List.copyOf(events.threads);
            String spinThread = threads.get(start).substring(threads.get(start).indexOf('@'));
            String talkThread = threads.get(first).substring(threads.get(first).indexOf('@'));
            assertNotEquals(spinThread, talkThread, "each job VM runs on its own thread");
            assertEquals(0, pool.charged(), "both jobs gave their memory back");
        }
    }
}
