package io.jenkins.plugins.quire.e2e;

import io.jenkins.plugins.quire.jenkins.AgentJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real agent of a {@link HudsonServer}: a {@code DumbSlave} whose command launcher starts {@code java -jar
 * slave.jar} (taken from the war's {@code WEB-INF/slave.jar}) on this machine with the {@code --add-opens} flags it
 * needs, through {@code sh}, which first writes the agent's pid into a file so a test can kill exactly that process.
 * The built-in node is set to 0 executors, so every build runs on the agent.
 */
public final class HudsonAgent {
    private final HudsonServer hudson;
    private final String name;
    private final Path root;
    private final Path pidFile;

    private HudsonAgent(HudsonServer hudson, String name, Path root, Path pidFile) {
        this.hudson = hudson;
        this.name = name;
        this.root = root;
        this.pidFile = pidFile;
    }

    /** Adds agent {@code name} with two executors, its root under the server's folder, and waits until online. */
    public static HudsonAgent add(HudsonServer hudson, String name) throws IOException, InterruptedException {
        Path base = hudson.home().getParent();
        Path slaveJar = base.resolve("slave.jar");
        try (ZipFile war = new ZipFile(System.getProperty("quire.hudson.war"))) {
            ZipEntry e = war.getEntry("WEB-INF/slave.jar");
            try (InputStream in = war.getInputStream(e)) {
                Files.copy(in, slaveJar, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path root = base.resolve("agent-" + name);
        Files.createDirectories(root);
        Path pidFile = base.resolve("agent-" + name + ".pid");
        String command = "sh -c \"echo $$ > " + pidFile + "; exec " + String.join(" ", AgentJvm.command(slaveJar))
                + "\"";
        String out = hudson.script("import hudson.model.*\nimport hudson.slaves.*\n"
                + "def h = Hudson.instance\n"
                + "h.addNode(new DumbSlave('" + name + "', '', '" + root + "', '2', Node.Mode.NORMAL, '" + name
                + "', new CommandLauncher('" + command.replace("\\", "\\\\").replace("'", "\\'") + "'),"
                + " RetentionStrategy.INSTANCE, []))\n"
                + "h.setNumExecutors(0)\n"
                + "h.setNodes(h.getNodes())\n" // recomputes the computers: the built-in node's executors go
                + "println 'added, built-in executors: ' + (h.toComputer() == null ? 0 : h.toComputer().countExecutors())\n");
        if (!out.contains("added, built-in executors: 0")) throw new IOException("adding the agent failed: " + out);
        HudsonAgent agent = new HudsonAgent(hudson, name, root, pidFile);
        agent.awaitOnline(Duration.ofMinutes(2));
        return agent;
    }

    public String name() {
        return name;
    }

    /** The agent's root folder (workspaces are {@code <root>/workspace/<job>}). */
    public Path root() {
        return root;
    }

    public Path workspace(String job) {
        return root.resolve("workspace").resolve(job);
    }

    /** Writes a file into the job's workspace on the agent (as a checkout there would). */
    public void writeWorkspaceFile(String job, String relative, String content) throws IOException {
        Path f = workspace(job).resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    /** Connects the agent again (after {@link #kill}) and waits until it is online. */
    public void reconnect() throws IOException, InterruptedException {
        hudson.script("hudson.model.Hudson.instance.getComputer('" + name + "').connect(true)\nprintln 'ok'\n");
        awaitOnline(Duration.ofMinutes(2));
    }

    public void awaitOnline(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = hudson.script("println hudson.model.Hudson.instance.getComputer('" + name + "').isOnline()\n");
            if (last.strip().equals("true")) return;
            Thread.sleep(250);
        }
        throw new IOException("agent " + name + " not online within " + timeout + " (" + last.strip() + "); log:\n"
                + hudson.script("println hudson.model.Hudson.instance.getComputer('" + name + "').getLog()\n"));
    }

    /** The agent process' pid (the launcher's {@code sh} exec'd into java, so it is the JVM's). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    /** Kills the agent's JVM at once (SIGKILL): no shutdown hook runs. */
    public void kill() throws IOException, InterruptedException {
        ProcessHandle p = ProcessHandle.of(pid()).orElseThrow(() -> new IOException("agent process not running"));
        p.destroyForcibly();
        p.onExit().join();
    }

    /** Stops the agent process if it still runs (the server's close would end it too). */
    public void stop() {
        try {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
        } catch (IOException | RuntimeException e) {
            // never started
        }
    }
}
