package io.jenkins.plugins.quire.container;

import io.jenkins.plugins.quire.container.ExecSupervisor.Action;
import io.jenkins.plugins.quire.container.ExecSupervisor.Ending;
import io.jenkins.plugins.quire.container.ExecSupervisor.Observation;
import io.jenkins.plugins.quire.container.ExecSupervisor.Step;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill/reap decisions of one exec and the classification of how it ended, fed with observations and a fake clock
 * (no dockerd): the actions asked for are the ones RunContainer performs.
 */
class ExecSupervisorTest {
    private static final long T0 = 1_000_000_000L;
    private static final Observation RUNNING = new Observation(null, false, false, false, false);
    private static final Observation EXEC_DIED = new Observation(null, false, true, false, false);
    private static final Observation GONE = new Observation(null, false, false, true, false);

    private static long at(long millis) {
        return T0 + millis * 1_000_000L;
    }

    private static Observation aborted(String why) {
        return new Observation(why, false, false, false, false);
    }

    private static Ending exited(Integer exit) {
        return new Ending(exit, 42, false, false, () -> "unused", 0, null, null, 3, 4);
    }

    @Test
    void aCommandThatExitsIsSweptOnceAfterTheLingerAndSucceeds() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.WAIT, s.next(at(50), RUNNING).action(), "first inspect only after 100 ms");
        assertEquals(Action.INSPECT_EXEC, s.next(at(100), RUNNING).action());
        s.inspected(false, at(100));
        assertEquals(Action.WAIT, s.next(at(100), RUNNING).action());
        assertEquals(Action.WAIT, s.next(at(250), RUNNING).action(), "lingers 200 ms for the streams to close");
        assertEquals(Action.SWEEP_END, s.next(at(300), RUNNING).action());
        s.killerRan(2, at(330), RUNNING);
        assertEquals(Action.WAIT, s.next(at(350), RUNNING).action(), "swept once");
        assertEquals(Action.WAIT, s.atEnd(true, false).action(), "the reap cleared it: no second sweep at the end");
        ExecResult r = s.classify(exited(0));
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome());
        assertTrue(r.backgroundProcessesKilled());
        assertEquals(42, r.durationMs());
        assertEquals(3, r.stdoutBytes());
        assertEquals(4, r.stderrBytes());
    }

    @Test
    void anExecDieEventNeedsNoInspect() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.WAIT, s.next(at(60), EXEC_DIED).action());
        assertEquals(Action.SWEEP_END, s.next(at(260), EXEC_DIED).action());
        s.killerRan(0, at(270), EXEC_DIED);
        assertFalse(s.classify(exited(0)).backgroundProcessesKilled());
    }

    @Test
    void inspectsBackOffFrom100MsToOnceASecond() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        List<Long> inspects = new ArrayList<>();
        for (long ms = 0; ms <= 10_000; ms += 50) {
            Step step = s.next(at(ms), RUNNING);
            if (step.action() == Action.INSPECT_EXEC) {
                inspects.add(ms);
                s.inspected(true, at(ms));
                assertEquals(Action.WAIT, s.next(at(ms), RUNNING).action(), "one inspect per poll");
            } else {
                assertEquals(Action.WAIT, step.action());
            }
        }
        assertEquals(List.of(100L, 300L, 700L, 1500L, 2500L, 3500L, 4500L, 5500L, 6500L, 7500L, 8500L, 9500L), inspects);
    }

    @Test
    void theTimeoutKillsTheTreeOnceAndIsReportedWithTheSignal() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofSeconds(5), T0);
        for (long ms = 0; ms < 5000; ms += 50) {
            Step step = s.next(at(ms), RUNNING);
            assertFalse(step.action() == Action.KILL_TREE, "killed before the timeout at " + ms + " ms");
            if (step.action() == Action.INSPECT_EXEC) s.inspected(true, at(ms));
        }
        assertEquals(Action.KILL_TREE, s.next(at(5000), RUNNING).action());
        s.killerRan(3, at(5100), RUNNING);
        assertEquals(Action.WAIT, s.next(at(5150), RUNNING).action(), "no second kill");
        assertEquals(Action.WAIT, s.next(at(5150), EXEC_DIED).action(), "no reap after a kill");
        ExecResult r = s.classify(exited(137));
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome());
        assertEquals("timeout after 5 s", r.reason().orElse(null));
        assertEquals("SIGKILL", r.signal().orElse(null));
        assertEquals(137, r.exitCode());
    }

    @Test
    void aCommandThatExitedByItselfJustBeforeItsTimeoutCarriesNoSignal() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofMillis(1500), T0);
        assertEquals(Action.KILL_TREE, s.next(at(1500), RUNNING).action());
        s.killerRan(0, at(1510), RUNNING);
        ExecResult r = s.classify(exited(3));
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome());
        assertEquals("timeout after 1500 ms", r.reason().orElse(null));
        assertTrue(r.signal().isEmpty());
        assertEquals(3, r.exitCode());
    }

    @Test
    void noTimeoutNeverKillsEvenWhenTheClockIsNegative() {
        long start = Long.MIN_VALUE / 2;
        ExecSupervisor s = new ExecSupervisor(null, start);
        Step step = s.next(start + Duration.ofDays(300).toNanos(), RUNNING);
        assertEquals(Action.INSPECT_EXEC, step.action());
    }

    @Test
    void anAbortKillsTheTreeAndWinsOverTheTimeoutAndTheContainersDeath() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofSeconds(1), T0);
        assertEquals(Action.KILL_TREE, s.next(at(2000), aborted("user pressed abort")).action());
        s.killerRan(2, at(2100), RUNNING);
        ExecResult r = s.classify(new Ending(137, 2100, false, true, () -> "container was killed", 0, null, null, 0, 0));
        assertEquals(ExecOutcome.ABORTED, r.outcome());
        assertEquals("aborted: user pressed abort", r.reason().orElse(null));
        assertEquals("SIGKILL", r.signal().orElse(null));
        assertEquals(137, r.exitCode());
    }

    @Test
    void aFailingListenerAbortsTheExec() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.KILL_TREE, s.next(at(10), new Observation(null, true, false, false, false)).action());
        s.killerRan(1, at(20), RUNNING);
        assertEquals("aborted: the output listener failed", s.classify(exited(137)).reason().orElse(null));
    }

    @Test
    void aKillerThatCannotRunEscalatesToStoppingTheContainer() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.KILL_TREE, s.next(at(10), aborted("stop")).action());
        s.killerRan(-1, at(20), RUNNING);
        Step step = s.next(at(60), RUNNING);
        assertEquals(Action.ESCALATE, step.action());
        assertEquals("the process killer could not run in the container", step.why());
        assertEquals(Action.STOP_WATCHING, s.next(at(110), RUNNING).action());
    }

    @Test
    void aKillerThatCannotRunIsNoReasonToEscalateWhenTheContainerIsGone() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        s.next(at(10), aborted("stop"));
        s.killerRan(-1, at(20), GONE);
        assertEquals(Action.WAIT, s.next(at(60), GONE).action());
    }

    @Test
    void aTreeStillAliveFiveSecondsAfterTheKillEscalates() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofSeconds(1), T0);
        s.next(at(1000), RUNNING);
        s.killerRan(1, at(1100), RUNNING);
        assertEquals(Action.WAIT, s.next(at(6000), RUNNING).action(), "within the grace (counted from the killer's end)");
        assertEquals(Action.KILL_TREE, s.next(at(6150), RUNNING).action(), "the stream is still open: look at the tree again");
        s.killerRan(1, at(6200), RUNNING);
        Step step = s.next(at(6210), RUNNING);
        assertEquals(Action.ESCALATE, step.action());
        assertEquals("its process tree did not die after SIGKILL", step.why());
    }

    @Test
    void aStreamTheEngineClosesLateAfterAnEndSweepIsNoReasonToStopTheContainer() {
        // 64 jobs each running `true`: the main process has exited, the sweep finds nothing, and the loaded engine
        // closes the stream seconds later. That stopped the container and failed every job before.
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.INSPECT_EXEC, s.next(at(100), RUNNING).action());
        s.inspected(false, at(100));
        assertEquals(Action.SWEEP_END, s.next(at(300), RUNNING).action());
        s.killerRan(0, at(400), RUNNING);
        for (long ms = 450; ms < 5400; ms += 50) assertEquals(Action.WAIT, s.next(at(ms), RUNNING).action(), "at " + ms);
        assertEquals(Action.SWEEP_END, s.next(at(5450), RUNNING).action(), "a fresh look, not a conclusion");
        s.killerRan(0, at(5500), RUNNING);
        assertEquals(Action.WAIT, s.next(at(5550), RUNNING).action(), "nothing left: only the stream is late");
        assertEquals(Action.WAIT, s.next(at(7000), RUNNING).action());
        ExecResult r = s.classify(exited(0));
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome());
        assertFalse(r.backgroundProcessesKilled());
    }

    @Test
    void aTimeoutKillWhoseStreamStaysOpenWithNothingLeftIsGivenUpAfterTheLimitWithoutStoppingTheContainer() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofSeconds(1), T0);
        assertEquals(Action.KILL_TREE, s.next(at(1000), RUNNING).action());
        s.killerRan(1, at(1100), RUNNING);
        long now = 1150;
        Step step;
        int rechecks = 0;
        while ((step = s.next(at(now), RUNNING)).action() != Action.STOP_WATCHING) {
            assertTrue(step.action() == Action.WAIT || step.action() == Action.KILL_TREE, "at " + now + ": " + step);
            if (step.action() == Action.KILL_TREE) {
                rechecks++;
                s.killerRan(0, at(now), RUNNING);
            }
            now += 50;
            assertTrue(now < 70_000, "never gave up on the stream");
        }
        assertTrue(now > 61_000, "gave up only after the limit, at " + now);
        assertTrue(rechecks >= 10, "re-checked the tree every grace period: " + rechecks);
        assertEquals(ExecOutcome.TIMED_OUT, s.classify(exited(null)).outcome());
    }

    @Test
    void aRecheckThatCannotRunEscalates() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        s.next(at(10), EXEC_DIED);
        assertEquals(Action.SWEEP_END, s.next(at(300), EXEC_DIED).action());
        s.killerRan(0, at(310), EXEC_DIED);
        assertEquals(Action.SWEEP_END, s.next(at(5400), EXEC_DIED).action());
        s.killerRan(-1, at(5410), EXEC_DIED);
        Step step = s.next(at(5420), EXEC_DIED);
        assertEquals(Action.ESCALATE, step.action());
        assertEquals("the process killer could not run in the container", step.why());
    }

    @Test
    void aStreamThatStaysOpenAfterTheContainerWentIsGivenUpAfterTheGrace() {
        ExecSupervisor s = new ExecSupervisor(Duration.ofDays(1), T0);
        assertEquals(Action.WAIT, s.next(at(50), GONE).action());
        for (long ms = 100; ms <= 2050; ms += 50) {
            Step step = s.next(at(ms), GONE);
            if (step.action() == Action.INSPECT_EXEC) {
                s.inspected(true, at(ms));
                step = s.next(at(ms), GONE);
            }
            assertEquals(Action.WAIT, step.action(), "within the grace at " + ms + " ms");
        }
        assertEquals(Action.STOP_WATCHING, s.next(at(2100), GONE).action());
    }

    @Test
    void theEndSweepRunsOnlyWhenNothingClearedTheExecYet() {
        ExecSupervisor ended = new ExecSupervisor(null, T0);
        assertEquals(Action.SWEEP_END, ended.atEnd(true, false).action());
        ended.swept(2);
        assertTrue(ended.classify(exited(0)).backgroundProcessesKilled());

        ExecSupervisor noExit = new ExecSupervisor(null, T0);
        assertEquals(Action.KILL_TREE, noExit.atEnd(false, false).action(), "no exit code: the main process may still run");

        ExecSupervisor gone = new ExecSupervisor(null, T0);
        assertEquals(Action.WAIT, gone.atEnd(true, true).action(), "no killer in a dead container");

        ExecSupervisor killed = new ExecSupervisor(null, T0);
        killed.next(at(10), aborted("x"));
        killed.killerRan(1, at(20), RUNNING);
        assertEquals(Action.WAIT, killed.atEnd(true, false).action(), "the kill cleared it");
    }

    @Test
    void anActionMustBeReportedBeforeTheNext() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(Action.INSPECT_EXEC, s.next(at(100), RUNNING).action());
        assertThrows(IllegalStateException.class, () -> s.next(at(150), RUNNING));
        assertThrows(IllegalStateException.class, () -> s.killerRan(0, at(150), RUNNING));
    }

    @Test
    void classifiesTheWaysAnExecEndsWithoutAKill() {
        ExecSupervisor s = new ExecSupervisor(null, T0);
        assertEquals(ExecOutcome.FAILED, s.classify(exited(2)).outcome());
        assertEquals(2, s.classify(exited(2)).exitCode());
        assertTrue(s.classify(exited(2)).reason().isEmpty());

        ExecResult closed = s.classify(new Ending(null, 1, true, true, () -> "x", 0, null, null, 0, 0));
        assertEquals(ExecOutcome.ABORTED, closed.outcome(), "closed by us is no death");
        assertEquals("aborted: the container was closed", closed.reason().orElse(null));

        ExecResult died = s.classify(new Ending(null, 1, false, true, () -> "container was killed (SIGKILL, exit code 137)",
                0, null, null, 0, 0));
        assertEquals(ExecOutcome.CONTAINER_DIED, died.outcome());
        assertEquals(ExecResult.NO_EXIT_CODE, died.exitCode());
        assertEquals("container was killed (SIGKILL, exit code 137)", died.deathReason().orElse(null));

        ExecResult oom = s.classify(new Ending(0, 1, false, false, () -> "x", 1, 64L * 1024 * 1024, null, 0, 0));
        assertEquals(ExecOutcome.COMMAND_OOM_KILLED, oom.outcome());
        assertEquals(137, oom.exitCode(), "never exit 0 with a signal");
        assertEquals("command OOM-killed: out of memory (container memory limit 64 MiB)", oom.reason().orElse(null));

        ExecResult broken = s.classify(new Ending(null, 1, false, false, () -> "x", 0, null,
                new IOException("connection reset"), 0, 0));
        assertEquals(ExecOutcome.FAILED, broken.outcome());
        assertEquals("the exec's output stream failed: IOException: connection reset", broken.reason().orElse(null));

        ExecResult silent = s.classify(new Ending(null, 1, false, false, () -> "x", 0, null, null, 0, 0));
        assertEquals("the engine reported no exit code", silent.reason().orElse(null));
        assertNull(s.killOutcome());
    }
}
