package io.jenkins.plugins.quire.container;

import java.util.HashMap;
import java.util.Map;

/**
 * Why: at the end of every {@code sh} the process killer must run unless nothing the exec started can be left, and
 * with concurrent jobs the container is rarely idle, so "only the container's own processes are left" no longer saves
 * the killer's exec (and killers run one at a time). This answers the wider question from the engine's process list
 * ({@code docker top}, host pids and parents): is every process either the container's own (docker-init, the
 * keep-alive: the long sleep, or the exec agent with its requests) or inside the tree of a process the engine started
 * as an exec? An exec whose main process has exited
 * can have left something only as an orphan, which the kernel hands to docker-init: any such process, or any
 * process the list cannot place, means the killer must run. Pure: no I/O.
 */
final class ExecTrees {
    private ExecTrees() { }

    /**
     * @param pidAndParent  host pid to host parent pid of every process in the container
     * @param initPid       docker-init's host pid
     * @param keepAlivePid  the host pid of the container's command (the keep-alive sleep, or the exec agent)
     * @return true when nothing outside the container's own processes and the trees of running execs is there
     */
    static boolean onlyOwnAndExecTrees(Map<Long, Long> pidAndParent, long initPid, long keepAlivePid) {
        if (!pidAndParent.containsKey(initPid)) return false;
        for (Map.Entry<Long, Long> e : pidAndParent.entrySet()) {
            long p = e.getKey();
            if (p == initPid || p == keepAlivePid) continue;
            long top = p;
            int steps = 0;
            // climb while the parent is in the container; the top is an exec's root (parent outside), an orphan, or a
            // request of the exec agent when the agent is the keep-alive (it reaps its requests' trees itself)
            while (pidAndParent.containsKey(pidAndParent.get(top)) && pidAndParent.get(top) != initPid
                    && pidAndParent.get(top) != keepAlivePid) {
                top = pidAndParent.get(top);
                if (++steps > pidAndParent.size()) return false;     // a cycle: the list changed under us
            }
            if (pidAndParent.get(top) == initPid) return false;       // an orphan: possibly left by an ended exec
        }
        return true;
    }

    /**
     * The container's own processes in a listing made right after its start: docker-init (the one process whose
     * parent is outside the container) and its one child, the keep-alive; any other process must descend from the
     * keep-alive (the exec agent's own requests, such as the start's reads of /etc/passwd).
     * @return {init, keep-alive}, or null when the listing does not have that shape (another exec, no init)
     */
    static long[] ownProcesses(Map<Long, Long> pidAndParent) {
        Long init = null;
        for (Map.Entry<Long, Long> e : pidAndParent.entrySet()) {
            if (pidAndParent.containsKey(e.getValue())) continue;
            if (init != null) return null;                            // two roots: an exec from outside
            init = e.getKey();
        }
        if (init == null) return null;
        Long keep = null;
        for (Map.Entry<Long, Long> e : pidAndParent.entrySet()) {
            if (!e.getValue().equals(init)) continue;
            if (keep != null) return null;                            // two children of init: an orphan beside it
            keep = e.getKey();
        }
        if (keep == null) return null;
        for (Long p : pidAndParent.keySet()) {
            long top = p;
            int steps = 0;
            while (top != keep && top != init) {
                top = pidAndParent.get(top);
                if (++steps > pidAndParent.size()) return null;        // a cycle: the list changed under us
            }
        }
        return new long[] {init, keep};
    }

    /**
     * Reads a {@code docker top -o pid,ppid} answer (titles and rows as the engine sends them).
     * @return host pid to parent pid, or null when the answer has no PID/PPID columns or a value is not a number
     */
    static Map<Long, Long> parse(String[] titles, String[][] rows) {
        if (titles == null || rows == null) return null;
        int pid = -1;
        int ppid = -1;
        for (int i = 0; i < titles.length; i++) {
            if ("PID".equals(titles[i])) pid = i;
            if ("PPID".equals(titles[i])) ppid = i;
        }
        if (pid < 0 || ppid < 0) return null;
        Map<Long, Long> m = new HashMap<>();
        try {
            for (String[] r : rows) m.put(Long.valueOf(r[pid].trim()), Long.valueOf(r[ppid].trim()));
        } catch (RuntimeException e) {
            return null;
        }
        return m;
    }
}
