package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Why: the Engine API cannot kill an exec, and closing its stream leaves the process running. Every exec
 * carries a unique token in its environment, which its whole process tree inherits (even through setsid);
 * this runs a second exec, as root, that SIGKILLs every process whose /proc/PID/environ holds the token
 * (three rounds, to catch processes forked meanwhile). Needs sh, tr, grep and kill in the image.
 */
final class ProcessTreeKiller {
    private static final String SCRIPT =
            "t=\"$1\"; n=0; for round in 1 2 3; do found=0;"
            + " for d in /proc/[0-9]*; do"
            + "  if tr '\\0' '\\n' 2>/dev/null < \"$d/environ\" | grep -qx \"" + RunContainer.TOKEN_VARIABLE + "=$t\"; then"
            + "   kill -KILL \"${d#/proc/}\" 2>/dev/null && { found=1; n=$((n+1)); }; fi;"
            + " done; [ $found = 0 ] && break; done; echo killed=$n";

    private ProcessTreeKiller() { }

    /** @return the number of processes killed, or -1 when the killer could not run */
    static int kill(DockerClient docker, DockerCalls calls, String containerId, String token) {
        try {
            String execId = calls.call("create the process killer", () -> docker.execCreateCmd(containerId)
                    .withCmd("sh", "-c", SCRIPT, "quire-kill", token)
                    .withUser("0:0")
                    .withAttachStdin(false).withAttachStdout(true).withAttachStderr(true)
                    .withTty(false)
                    .exec().getId());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecStream s = new ExecStream(new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) {
                    synchronized (out) { out.write(d, off, len); }
                }

                @Override public void onStderr(byte[] d, int off, int len) { }
            });
            calls.call("start the process killer", () -> docker.execStartCmd(execId).withDetach(false).withTty(false).exec(s));
            if (!s.await(calls.timeout().toMillis())) {
                s.close();
                return -1;
            }
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            int i = text.lastIndexOf("killed=");
            if (i < 0) return -1;
            return Integer.parseInt(text.substring(i + 7).trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
