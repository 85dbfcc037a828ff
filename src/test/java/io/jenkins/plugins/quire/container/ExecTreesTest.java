package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the end-of-sh killer can be skipped: only the container's own processes and running execs' trees are left. */
class ExecTreesTest {
    private static final long SHIM = 900;
    private static final long INIT = 1000;
    private static final long KEEP = 1001;

    @Test
    void anIdleContainerNeedsNoKiller() {
        assertTrue(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT), INIT, KEEP));
    }

    @Test
    void theTreesOfRunningExecsNeedNoKiller() {
        // two execs (parent: the shim, outside the container), one with a child and a grandchild
        assertTrue(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT,
                2000L, SHIM, 2001L, 2000L, 2002L, 2001L, 3000L, SHIM), INIT, KEEP));
    }

    @Test
    void theExecAgentsRequestsAsTheContainersCommandNeedNoKiller() {
        // the agent is the keep-alive: its requests (and what they started) are its children, reaped by it
        assertTrue(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT,
                2000L, KEEP, 2001L, 2000L, 3000L, SHIM), INIT, KEEP));
        assertFalse(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT, 2000L, KEEP, 4000L, INIT), INIT, KEEP),
                "an orphan beside the agent's requests still needs the killer");
    }

    @Test
    void theOwnProcessesAreFoundBesideTheAgentsOwnRequests() {
        assertArrayEquals(new long[] {INIT, KEEP}, ExecTrees.ownProcesses(Map.of(INIT, SHIM, KEEP, INIT)));
        // the start reads /etc/passwd through the agent while the list is made: its sh is the agent's child
        assertArrayEquals(new long[] {INIT, KEEP}, ExecTrees.ownProcesses(Map.of(INIT, SHIM, KEEP, INIT,
                2000L, KEEP, 2001L, 2000L)));
        assertNull(ExecTrees.ownProcesses(Map.of(INIT, SHIM, KEEP, INIT, 3000L, SHIM)), "an exec from outside");
        assertNull(ExecTrees.ownProcesses(Map.of(INIT, SHIM, KEEP, INIT, 4000L, INIT)), "a second child of init");
        assertNull(ExecTrees.ownProcesses(Map.of(INIT, SHIM)), "no keep-alive");
    }

    @Test
    void anOrphanOrItsChildNeedsTheKiller() {
        assertFalse(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT, 2000L, SHIM, 4000L, INIT), INIT, KEEP),
                "a process docker-init adopted may be what an ended exec left");
        assertFalse(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT, 4000L, INIT, 4001L, 4000L), INIT, KEEP));
    }

    @Test
    void aListWithoutDockerInitOrWithACycleIsNotTrusted() {
        assertFalse(ExecTrees.onlyOwnAndExecTrees(Map.of(KEEP, INIT, 2000L, SHIM), INIT, KEEP));
        assertFalse(ExecTrees.onlyOwnAndExecTrees(Map.of(INIT, SHIM, KEEP, INIT, 5000L, 5001L, 5001L, 5000L), INIT, KEEP));
    }

    @Test
    void parsesTheEnginesProcessList() {
        assertEquals(Map.of(1000L, 900L, 1001L, 1000L), ExecTrees.parse(new String[] {"PID", "PPID"},
                new String[][] {{"1000", "900"}, {"1001", " 1000"}}));
        assertEquals(Map.of(7L, 1L), ExecTrees.parse(new String[] {"UID", "PPID", "PID"}, new String[][] {{"root", "1", "7"}}));
        assertNull(ExecTrees.parse(new String[] {"PID", "CMD"}, new String[][] {{"1", "sleep"}}));
        assertNull(ExecTrees.parse(new String[] {"PID", "PPID"}, new String[][] {{"x", "1"}}));
    }
}
