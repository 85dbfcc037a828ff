package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.LineKind;
import io.jenkins.plugins.quire.log.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole runs against the real dockerd and the local busybox image: DAG semantics, outputs, logs, secrets, limits.
 * What depends on how {@code sh} reaches the container (streams apart, secrets only in the environment, timeout,
 * abort, container death) runs in both exec modes, each checked against the run log's {@code exec-mode}.
 */
class PipelineRunnerIT {
    static final String IMAGE = DockerTestSupport.BUSYBOX;
    static final String OWNER = "quire-test-runner";

    @TempDir Path ws;
    final List<String> console = new ArrayList<>();

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    private RunResult run(String fnl, RunOptions.Builder b) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), fnl);
        PipelineRunner runner = new PipelineRunner(b.build(),
                List.of(new ConsoleFormatter((LineKind kind, String text) -> console.add(text))));
        return runner.run();
    }

    private RunOptions.Builder options() {
        return RunOptions.builder(ws).imageOverride(IMAGE).owner(OWNER).logsDir(ws.resolve("logs"));
    }

    private JobOutcome job(RunResult r, String id) {
        return r.jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }

    private String allLogs() throws IOException {
        try (Stream<Path> files = Files.walk(ws.resolve("logs"))) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void outputsFlowDownstreamFailuresSkipDependentsAndIndependentJobsStillRun(ExecMode mode) throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :build [:quire/push]",
                "  (fn [{: sh}] (let [r (sh \"echo built; echo warn >&2\")] {:out r.stdout :err r.stderr :exit r.exit})))",
                "(ci.job :test [:build]",
                "  (fn [{: sh : jobs}] (let [b (jobs :build) r (sh [\"echo\" b.out])] {:seen r.stdout})))",
                "(ci.job :maybe [:quire/push] (fn [] nil))",
                "(ci.job :after-maybe [:maybe] (fn [{: jobs}] {:maybe-was (if (= nil (jobs :maybe)) :nil :set)}))",
                "(ci.job :broken [:quire/push] (fn [{: sh}] (sh \"exit 3\") (error \"deploy refused\")))",
                "(ci.job :downstream [:broken] (fn [] {:ran true}))",
                "(ci.job :further [:downstream] (fn [] {:ran true}))",
                "(ci.job :independent [:build] (fn [] {:ran true}))"), options().execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.FAILURE, r.status());
        assertEquals("built\n", job(r, "build").outputs().get("out").textValue());
        assertEquals("warn\n", job(r, "build").outputs().get("err").textValue());
        assertEquals("built\n\n", job(r, "test").outputs().get("seen").textValue());
        assertEquals(JobState.SKIPPED, job(r, "maybe").state());
        assertEquals("nil", job(r, "after-maybe").outputs().get("maybe-was").textValue());
        assertEquals(JobState.FAILED, job(r, "broken").state());
        assertEquals(".quire/ci.fnl:8: deploy refused", job(r, "broken").reason());
        assertEquals(JobState.SKIPPED, job(r, "downstream").state());
        assertEquals("upstream 'broken' failed", job(r, "downstream").reason());
        assertEquals("upstream 'broken' failed", job(r, "further").reason());
        assertEquals(JobState.SUCCEEDED, job(r, "independent").state());
        String logs = allLogs();
        assertTrue(logs.contains("\"kind\":\"run-end\""), logs);
        assertTrue(logs.contains("\"kind\":\"container-start\""), logs);
        assertTrue(console.stream().anyMatch(l -> l.contains("$ echo built; echo warn >&2")), console.toString());
        assertTrue(console.stream().anyMatch(l -> l.contains("upstream 'broken' failed")), console.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void secretsAreRedactedInLogsConsoleAndOutputsButReachTheCommand(ExecMode mode) throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :deploy [:quire/push]",
                "  (fn [{: sh : secret}]",
                "    (let [tok (secret :token)",
                "          r (sh (.. \"echo token=\" tok \"; printf %s \\\"$TOK\\\" >&2\") {:env {:TOK tok}})]",
                "      {:echoed r.stdout :len (length r.stderr) :same (= r.stderr tok)})))"),
                options().secret("token", "hunter2-s3cr3t").execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.SUCCESS, r.status(), r.toString());
        JobOutcome deploy = job(r, "deploy");
        assertEquals(true, deploy.outputs().get("same").booleanValue());
        String logs = allLogs();
        assertFalse(logs.contains("hunter2-s3cr3t"), logs);
        assertTrue(logs.contains("{{ token }}"), logs);
        assertFalse(String.join("\n", console).contains("hunter2-s3cr3t"), console.toString());
    }

    @Test
    void jobsCanOnlyReadTheirTransitiveInputsAndSecretsMustBeDeclared() throws Exception {
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :a [:quire/push] (fn [] {:x 1}))",
                "(ci.job :b [:quire/push] (fn [{: jobs}] (jobs :a)))",
                "(ci.job :c [:quire/push] (fn [{: secret}] (secret :nope)))",
                "(ci.job :d [:a] (fn [{: jobs}] {:push (. (jobs :quire/push) :job-name) :a (. (jobs :a) :x)}))"),
                options().environment(Map.of("JOB_NAME", "demo")));
        assertEquals(".quire/ci.fnl:3: job 'b' cannot read 'a': not among its transitive inputs", job(r, "b").reason());
        assertEquals(".quire/ci.fnl:4: secret 'nope' is not declared", job(r, "c").reason());
        assertEquals("demo", job(r, "d").outputs().get("push").textValue());
        assertEquals(1, job(r, "d").outputs().get("a").intValue());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void jobTimeoutKillsTheCommandAndFailsTheJob(ExecMode mode) throws Exception {
        long t0 = System.nanoTime();
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"sleep 60\") {:done true}))",
                "(ci.job :next [:quire/push] (fn [] {:ok true}))"),
                options().jobTimeout(Duration.ofSeconds(2)).execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "the run did not wait for sleep 60");
        assertEquals(JobState.FAILED, job(r, "slow").state());
        assertTrue(job(r, "slow").reason().contains("timed out after 2.0 s"), job(r, "slow").reason());
        assertEquals(JobState.SUCCEEDED, job(r, "next").state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void abortKillsTheRunningShSkipsTheRestAndEndsAborted(ExecMode mode) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :long [:quire/push] (fn [{: sh}] (sh \"echo started; sleep 120\") {:done true}))",
                "(ci.job :later [:quire/push] (fn [] {:ok true}))"));
        // one at a time, so that "later" has not started when the abort comes (ParallelRunIT aborts running jobs)
        PipelineRunner runner = new PipelineRunner(options().parallel(1).execMode(mode).build(),
                List.of(new ConsoleFormatter((LineKind kind, String text) -> console.add(text))));
        Thread aborter = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                synchronized (console) {
                    if (console.stream().anyMatch(l -> l.endsWith("| started"))) break;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            runner.abort("test abort");
        });
        aborter.start();
        long t0 = System.nanoTime();
        RunResult r = runner.run();
        aborter.join();
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "abort ended the run early");
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.ABORTED, r.status());
        assertEquals(JobState.ABORTED, job(r, "long").state(), "running when the run was aborted");
        assertEquals("run aborted: test abort", job(r, "long").reason());
        assertEquals(JobState.SKIPPED, job(r, "later").state());
        String logs = allLogs();
        assertTrue(logs.contains("\"status\":\"aborted\""), logs);
        assertTrue(logs.contains("\"signal\""), logs);
        DockerTestSupport.assertNoContainersLeft(DOCKER.engine(), OWNER);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void containerKilledFromOutsideEndsTheRunAsContainerDied(ExecMode mode) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :victim [:quire/push]",
                "  (fn [{: sh}] (sh \"echo ready; sleep 60\") {:survived true}))",
                "(ci.job :after [:victim] (fn [] {:ok true}))",
                "(ci.job :other [:quire/push] (fn [] {:ok true}))"));
        // one at a time, so that "other" waits behind the victim (ParallelRunIT kills with several jobs running)
        PipelineRunner runner = new PipelineRunner(options().parallel(1).execMode(mode).build(),
                List.of(new ConsoleFormatter((LineKind kind, String text) -> console.add(text))));
        Thread killer = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                synchronized (console) {
                    if (console.stream().anyMatch(l -> l.endsWith("| ready"))) break;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            for (String id : DOCKER.engine().containersOf(OWNER)) DockerTestSupport.runOk("docker", "kill", id);
        });
        killer.start();
        RunResult r = runner.run();
        killer.join();
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.CONTAINER_DIED, r.status(), r.toString());
        assertTrue(job(r, "victim").reason().startsWith("container died: "), job(r, "victim").reason());
        assertEquals(JobState.FAILED, job(r, "victim").state());
        assertEquals(JobState.SKIPPED, job(r, "after").state());
        assertEquals(JobState.SKIPPED, job(r, "other").state());
        String logs = allLogs();
        assertTrue(logs.contains("\"kind\":\"container-died\""), logs);
        DockerTestSupport.assertNoContainersLeft(DOCKER.engine(), OWNER);
    }

    @Test
    void anUnreachableEngineOrAMissingImageIsASetupErrorAndNothingRuns() throws Exception {
        String fnl = "(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {:ok true}))";
        RunSetupException noEngine = assertThrows(RunSetupException.class, () -> run(fnl,
                options().engine(EngineConfig.defaults().withHost("unix:///nonexistent/docker.sock"))));
        assertTrue(noEngine.getMessage().contains("/nonexistent/docker.sock"), noEngine.getMessage());
        RunSetupException noImage = assertThrows(RunSetupException.class, () -> run(fnl,
                options().imageOverride("quire-test:absent").engine(EngineConfig.defaults().withPullTimeout(Duration.ZERO))));
        assertTrue(noImage.getMessage().startsWith("image 'quire-test:absent' is not available locally and could not be"
                + " pulled: "), noImage.getMessage());
        RunSetupException noImageNamed = assertThrows(RunSetupException.class, () -> run(fnl,
                RunOptions.builder(ws).owner(OWNER).logsDir(ws.resolve("logs"))));
        assertTrue(noImageNamed.getMessage().startsWith("no image to run the pipeline in"), noImageNamed.getMessage());
        assertEquals(List.of(), DOCKER.engine().containersOf(OWNER));
    }

    @Test
    void errorTablesHoldingASecretAndOversizedOutputsFailTheirJobWithoutLeakingOrStoppingOthers() throws Exception {
        String secret = "tok\"en\\with\nnewline-0123456789";
        RunResult r = run(String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :leak [:quire/push] (fn [{: secret}] (error {:val (secret :TOKEN)})))",
                "(ci.job :big [:quire/push] (fn [] (var t {}) (for [i 1 40] (set t [t t])) t))",
                "(ci.job :fine [:quire/push] (fn [] {:ok true}))"),
                options().secret("TOKEN", secret).outputLimits(new LuaJson.Limits(1000, 1 << 20)));
        assertEquals(JobState.FAILED, job(r, "leak").state());
        assertEquals(".quire/ci.fnl:2: error object: {val = \"{{ TOKEN }}\"}", job(r, "leak").reason());
        assertEquals(".quire/ci.fnl:3: job 'big' returned outputs that are too large: outputs hold more than 1000"
                + " values (the limit; a table reached twice counts twice)", job(r, "big").reason());
        assertEquals(JobState.SUCCEEDED, job(r, "fine").state());
        String logs = allLogs();
        assertFalse(logs.contains("tok\\\"en"), logs);
        assertFalse(logs.contains("newline-0123"), logs);
        assertFalse(String.join("\n", console).contains("newline-0123"), console.toString());
    }
}
