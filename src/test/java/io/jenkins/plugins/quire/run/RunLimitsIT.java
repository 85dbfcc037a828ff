package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.LineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Limits a script can reach through {@code sh}'s options, checked against the real dockerd before anything starts,
 * and the memory limit, whose OOM kills are reported in both exec modes (the agent reads the cgroup's count itself).
 */
class RunLimitsIT {
    static final String OWNER = "quire-test-run-limits";
    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @TempDir Path ws;
    final List<String> console = new ArrayList<>();

    private RunResult run(String fnl, RunOptions.Builder b) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), fnl);
        return new PipelineRunner(b.build(), List.of(new ConsoleFormatter((LineKind kind, String text) -> {
            synchronized (console) {
                console.add(text);
            }
        }))).run();
    }

    private RunOptions.Builder options() {
        return RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX).owner(OWNER).logsDir(ws.resolve("logs"));
    }

    private static JobOutcome job(RunResult r, String id) {
        return r.jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aHugeShTimeoutFailsTheJobWithItsLineBeforeTheCommandStarts() throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :huge [:quire/push] (fn [{: sh}] (sh \"echo started-huge\" {:timeout 1e300}) {:ok true}))",
                "(ci.job :big [:quire/push] (fn [{: sh}] (sh \"echo started-big\" {:timeout 9.3e15}) {:ok true}))",
                "(ci.job :next [:huge :big] (fn [{: sh}] {:out (. (sh \"echo next\") :stdout)}))",
                "(ci.job :other [:quire/push] (fn [{: sh}] {:out (. (sh \"echo other\") :stdout)}))"), options());
        assertEquals(JobState.FAILED, job(r, "huge").state());
        assertEquals(".quire/ci.fnl:2: sh: :timeout must not exceed the job timeout (1h 00m), got 1e+300 seconds",
                job(r, "huge").reason());
        assertEquals(JobState.FAILED, job(r, "big").state());
        assertTrue(job(r, "big").reason().startsWith(".quire/ci.fnl:3: sh: :timeout must not exceed the job timeout"),
                job(r, "big").reason());
        assertEquals(JobState.SKIPPED, job(r, "next").state());
        assertEquals("other\n", job(r, "other").outputs().get("out").textValue());
        for (String id : List.of("huge", "big")) {
            Path log = ws.resolve("logs/jobs/" + id + "/log.jsonl");
            String text = Files.exists(log) ? Files.readString(log) : "";
            assertFalse(text.contains("sh-start"), "nothing started for " + id + ": " + text);
        }
        assertFalse(console.stream().anyMatch(l -> l.contains("started-")), console.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aCommandTheKernelKillsForMemoryIsRecordedAsOomWithANonZeroExit(ExecMode mode) throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :eat [:quire/push]",
                "  (fn [{: sh}]",
                "    (let [limit (sh \"cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes\")",
                "          direct (sh \"head -c 300m /dev/zero | tail\")",
                "          child (sh \"head -c 300m /dev/zero | tail; echo after\")",
                "          fine (sh \"echo fine\")]",
                "      {:limit limit.stdout :direct [direct.exit (= true direct.oom-killed)]",
                "       :child [child.exit (= true child.oom-killed) child.stdout] :fine [fine.exit (= nil fine.oom-killed)]})))"),
                options().memoryBytes(64L << 20).execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        JobOutcome eat = job(r, "eat");
        assertEquals(JobState.SUCCEEDED, eat.state(), String.valueOf(eat.reason()));
        assertEquals("67108864\n", eat.outputs().get("limit").textValue());
        assertEquals("[137,true]", eat.outputs().get("direct").toString());
        assertEquals("[137,true,\"after\\n\"]", eat.outputs().get("child").toString(), "a shell that went on after"
                + " its child was OOM-killed is not reported as exit 0");
        assertEquals("[0,true]", eat.outputs().get("fine").toString());
        List<String> exits = Files.readAllLines(ws.resolve("logs/jobs/eat/log.jsonl")).stream()
                .filter(l -> l.contains("\"kind\":\"sh-exit\"")).toList();
        assertEquals(4, exits.size(), exits.toString());
        for (int i : new int[] {1, 2}) {
            assertTrue(exits.get(i).contains("\"exit\":137,") && exits.get(i).endsWith(",\"signal\":\"SIGKILL\",\"oom\":true}"),
                    exits.get(i));
        }
        assertFalse(exits.get(3).contains("oom"), exits.get(3));
        assertEquals(2, console.stream().filter(l -> l.endsWith(", killed by the kernel (out of memory)")).count(),
                console.toString());
    }

    /**
     * Jobs run at once: the container's OOM count does not say whose process the kernel killed. A command that ran
     * beside the one killed, and ended by itself, keeps its own exit; the one killed is reported as such.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aSiblingJobsOomKillIsNotCountedAgainstACommandThatEndedByItself(ExecMode mode) throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :eat [:quire/push]",
                "  (fn [{: sh}] (let [e (sh \"sleep 1; head -c 300m /dev/zero | tail\")] {:eat [e.exit (= true e.oom-killed)]})))",
                "(ci.job :calm [:quire/push]",
                "  (fn [{: sh}] (let [c (sh \"sleep 5; echo calm\")] {:calm [c.exit (= true c.oom-killed) c.stdout]})))"),
                options().memoryBytes(64L << 20).execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals("[137,true]", job(r, "eat").outputs().get("eat").toString());
        assertEquals(JobState.SUCCEEDED, job(r, "calm").state(), String.valueOf(job(r, "calm").reason()));
        assertEquals("[0,false,\"calm\\n\"]", job(r, "calm").outputs().get("calm").toString(),
                "the sibling's OOM kill was counted against a command that exited 0");
        String calmExit = Files.readAllLines(ws.resolve("logs/jobs/calm/log.jsonl")).stream()
                .filter(l -> l.contains("\"kind\":\"sh-exit\"")).findFirst().orElseThrow();
        assertTrue(calmExit.contains("\"exit\":0,") && !calmExit.contains("oom"), calmExit);
    }
}
