package io.jenkins.plugins.quire.e2e;

import io.jenkins.plugins.quire.TestFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A real hudson.war 1.395 started as a separate process on 127.0.0.1 with a fresh home and the given plugins, for
 * end-to-end tests. As in docs/architecture.md: vendor agent, --add-opens, no JNLP port, readiness = /api/json 200.
 * Four executors (concurrent builds), and the root URL set to the server's own address so container owner labels
 * are unique per server.
 */
public final class HudsonServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final Path home;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HudsonServer(Process process, Path home, Path log, int port) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts a server with the built quire-ci.hpi (system property {@code quire.hpi}) installed, its files under
     * {@code target/e2e/<name>}.
     */
    public static HudsonServer startWithPlugin(String name) throws IOException, InterruptedException {
        Path hpi = Path.of(System.getProperty("quire.hpi"));
        if (!Files.isRegularFile(hpi)) throw new IOException("build the plugin first (mvn package): " + hpi);
        return start(Path.of(System.getProperty("quire.target.dir"), "e2e", name), hpi);
    }

    /** Starts a server whose home is {@code baseDir/home}, with each plugin file copied into its plugins folder. */
    public static HudsonServer start(Path baseDir, Path... plugins) throws IOException, InterruptedException {
        Path war = Path.of(System.getProperty("quire.hudson.war"));
        if (!Files.isRegularFile(war)) throw new IOException("hudson.war not found at " + war + " (quire.hudson.war)");
        TestFiles.deleteTree(baseDir);
        Path home = baseDir.resolve("home");
        Path tmp = baseDir.resolve("java-tmp");
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(tmp);
        for (Path p : plugins) Files.copy(p, home.resolve("plugins").resolve(p.getFileName()));
        Files.writeString(home.resolve("config.xml"),
                "<?xml version='1.0' encoding='UTF-8'?>\n<hudson>\n  <numExecutors>4</numExecutors>\n"
                        + "  <slaveAgentPort>-1</slaveAgentPort>\n</hudson>\n");
        Path agent = vendorAgentJar(baseDir.resolve("vendorfix.jar"));
        int port = freePort();
        int udp = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-javaagent:" + agent);
        for (String opens : new String[] {"java.base/java.lang", "java.base/java.util", "java.base/java.lang.reflect",
                "java.base/java.io", "java.base/java.text", "java.base/java.net", "java.base/java.util.concurrent",
                "java.base/java.util.regex", "java.base/java.nio.charset", "java.base/java.security",
                "java.base/java.lang.ref", "java.logging/java.util.logging", "java.desktop/java.awt.font",
                "java.desktop/javax.swing"}) {
            cmd.add("--add-opens");
            cmd.add(opens + "=ALL-UNNAMED");
        }
        cmd.add("--add-exports");
        cmd.add("java.base/sun.util.calendar=ALL-UNNAMED");
        cmd.add("-Xmx768m");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dhudson.DNSMultiCast.disabled=true");
        cmd.add("-Dhudson.udp=" + udp);
        cmd.add("-jar");
        cmd.add(war.toString());
        cmd.add("--httpPort=" + port);
        cmd.add("--httpListenAddress=127.0.0.1");
        cmd.add("--httpsPort=-1");
        cmd.add("--ajp13Port=-1");
        Path log = baseDir.resolve("hudson.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HUDSON_HOME", home.toString());
        HudsonServer server = new HudsonServer(pb.start(), home, log, port);
        try {
            server.awaitReady();
            server.script("hudson.tasks.Mailer.descriptor().setHudsonUrl('" + server.url() + "/')");
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("Hudson exited during start-up; log:\n" + tail(log));
            try {
                last = get("/api/json").statusCode();
                if (last == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("Hudson did not answer /api/json with 200 within " + START_TIMEOUT + " (last " + last
                + "); log:\n" + tail(log));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The container owner label of this server's builds ({@code io.quire.owner}): its root URL, which start-up
     * configures so that each server's containers are told apart from every other run's.
     */
    public String owner() {
        return url() + "/";
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Runs a Groovy script through /scriptText (security is off in a fresh 1.395 home) and returns its output. */
    public String script(String groovy) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/scriptText", "application/x-www-form-urlencoded",
                "script=" + URLEncoder.encode(groovy, StandardCharsets.UTF_8));
        if (r.statusCode() != HttpURLConnection.HTTP_OK) {
            throw new IOException("/scriptText answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path vendorAgentJar(Path jar) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(new Attributes.Name("Premain-Class"), VendorFixAgent.class.getName());
        String entry = VendorFixAgent.class.getName().replace('.', '/') + ".class";
        try (var in = VendorFixAgent.class.getClassLoader().getResourceAsStream(entry);
             OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jos = new JarOutputStream(out, mf)) {
            if (in == null) throw new IOException("agent class not found: " + entry);
            jos.putNextEntry(new JarEntry(entry));
            in.transferTo(jos);
            jos.closeEntry();
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
