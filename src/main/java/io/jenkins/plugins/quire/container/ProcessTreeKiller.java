package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why: the Engine API cannot kill an exec, and closing its stream leaves the process running. This runs a second
 * exec that stops, then kills, every process the exec left in the container (kill-tree.sh): all of them stopped
 * before any is killed, so no shell reaps its killed child and runs its next command; found by what a process
 * cannot shed (it is outside the container's own session and outside every other running exec's tree and
 * session), not only by the exec's token variable, which a child can drop ({@code env -u}). Needs only sh.
 */
final class ProcessTreeKiller {
    /** When the killer runs: while the exec may still be running, or after its main process exited. */
    enum Mode {
        /** Timeout, abort: the exec's own process is killed too. */
        KILL("kill"),
        /** The main process has exited: whatever it left behind goes. */
        END("end");

        final String arg;

        Mode(String arg) {
            this.arg = arg;
        }
    }

    private static final String SCRIPT = load();

    private ProcessTreeKiller() { }

    private static String load() {
        try (InputStream in = ProcessTreeKiller.class.getResourceAsStream("kill-tree.sh")) {
            if (in == null) throw new IllegalStateException("kill-tree.sh is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"))
                    .replace("@TOKEN_VARIABLE@", RunContainer.TOKEN_VARIABLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param others tokens of the container's other running execs (left alone)
     * @param user   "uid:gid" the killer runs as, or null for the image's user
     * @return the number of processes killed, or -1 when the killer could not run
     */
    static int kill(DockerClient docker, DockerStreams streams, DockerCalls calls, String containerId, Mode mode, String token,
                    Collection<String> others, String user) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "quire-kill", mode.arg, token));
        argv.addAll(others);
        try {
            String execId = calls.call("create the process killer", () -> {
                var cmd = docker.execCreateCmd(containerId)
                        .withCmd(argv.toArray(new String[0]))
                        .withAttachStdin(false).withAttachStdout(true).withAttachStderr(true)
                        .withTty(false);
                if (user != null) cmd.withUser(user);
                return cmd.exec().getId();
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecStream s = new ExecStream(new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) {
                    synchronized (out) { out.write(d, off, len); }
                }

                @Override public void onStderr(byte[] d, int off, int len) { }
            });
            calls.call("start the process killer", () -> { streams.execStart(execId, s); return null; });
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
