package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.TestFiles;

import hudson.model.DownloadService;
import hudson.model.UpdateSite;
import hudson.remoting.Which;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.servlet.ServletContext;
import org.jvnet.hudson.test.HudsonHomeLoader;
import org.jvnet.hudson.test.HudsonTestCase;
import org.mortbay.jetty.Server;
import org.mortbay.jetty.bio.SocketConnector;
import org.mortbay.jetty.webapp.Configuration;
import org.mortbay.jetty.webapp.WebAppContext;
import org.mortbay.jetty.webapp.WebXmlConfiguration;

/**
 * Base class of every {@link HudsonTestCase} in this project (docs/architecture.md), because the stock harness
 * listens on 0.0.0.0 and shares one exploded war between all builds of the checkout. This one:
 * <ul>
 *   <li>binds Jetty to 127.0.0.1 on {@link #httpPort()}: 0 (a free port picked by the OS, so several test classes
 *       and several parallel Surefire JVMs never clash) unless {@code -Dquire.test.httpPort=N} or a subclass
 *       override names one;</li>
 *   <li>pre-seeds {@code config.xml} with {@code slaveAgentPort=-1}, so no JNLP listener opens;</li>
 *   <li>turns off the update center (no {@code JavaNetReverseProxy} on another random port, no downloads);</li>
 *   <li>explodes {@code hudson.war} into {@code <build dir>/hudson-for-test} (the build folder given by
 *       {@code quire.target.dir}) instead of the harness' {@code ./target/hudson-for-test}, so engineers building
 *       in their own folders never delete each other's exploded war mid-run.</li>
 * </ul>
 * Hudson's Jelly pages also need Guava r06's {@code MapMaker.makeComputingMap}, which docker-java's Guava 33 (on the
 * same test classpath) lacks: {@code src/test/java/com/google/common/collect/MapMaker.java} stands in for it in tests.
 * Subclasses write JUnit 3 style {@code public void testXxx()} methods (run by the JUnit 5 vintage engine).
 */
public abstract class LoopbackHudsonTestCase extends HudsonTestCase {
    private static final Object EXPLODE_LOCK = new Object();
    private File home;

    protected LoopbackHudsonTestCase() {
        final HudsonHomeLoader base = homeLoader;
        homeLoader = new HudsonHomeLoader() {
            @Override
            public File allocate() throws Exception {
                File home = base.allocate();
                LoopbackHudsonTestCase.this.home = home;
                try (OutputStream out = new FileOutputStream(new File(home, "config.xml"))) {
                    out.write(("<?xml version='1.0' encoding='UTF-8'?>\n"
                            + "<hudson><slaveAgentPort>-1</slaveAgentPort></hudson>\n").getBytes(StandardCharsets.UTF_8));
                }
                return home;
            }
        };
    }

    /**
     * Hudson's node monitors can still write {@code nodeMonitors.xml} into the home while the harness deletes it
     * after the test ("Failed to clean up temp dirs"). Then the deletion is retried once after a short pause; if the
     * home still cannot be deleted, that failure is reported.
     */
    @Override
    protected void tearDown() throws Exception {
        try {
            super.tearDown();
        } catch (IOException e) {
            if (home == null || !String.valueOf(e.getMessage()).contains("Failed to clean up temp dirs")) throw e;
            Thread.sleep(500);
            TestFiles.deleteTree(home.toPath());
        }
    }

    /** The HTTP port of this test class' Hudson; 0 = any free port (the default). */
    protected int httpPort() {
        return Integer.getInteger("quire.test.httpPort", 0);
    }

    @Override
    protected ServletContext createWebServer() throws Exception {
        // HudsonTestCase.createWebServer(), bound to 127.0.0.1 and to our own exploded war
        server = new Server();
        WebAppContext context = new WebAppContext(explodedWar().getPath(), contextPath);
        context.setClassLoader(getClass().getClassLoader());
        context.setConfigurations(new Configuration[] {new WebXmlConfiguration(), noListenerConfiguration()});
        server.setHandler(context);
        context.setMimeTypes(MIME_TYPES);
        SocketConnector connector = new SocketConnector();
        connector.setHost("127.0.0.1");
        connector.setPort(httpPort());
        server.addConnector(connector);
        server.addUserRealm(configureUserRealm());
        server.start();
        localPort = connector.getLocalPort();
        return context.getServletContext();
    }

    @Override
    protected void configureUpdateCenter() throws Exception {
        DownloadService.neverUpdate = true;
        UpdateSite.neverUpdate = true;
        hudson.getUpdateCenter().getSites().clear();
    }

    /** The root URL of the running test Hudson, with a trailing slash. */
    protected String rootUrl() throws IOException {
        return getURL().toString();
    }

    /** hudson.war exploded into the build folder once per build (reused while newer than the war). */
    static File explodedWar() throws IOException {
        synchronized (EXPLODE_LOCK) {
            Path war = warFile();
            Path target = Path.of(System.getProperty("quire.target.dir", "target"));
            Path dir = target.resolve("hudson-for-test").toAbsolutePath();
            Path stamp = dir.resolve(".timestamp");
            if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(war)) >= 0) {
                return dir.toFile();
            }
            Path tmp = Files.createTempDirectory(target, "hudson-for-test-");
            unzip(war, tmp);
            Files.writeString(tmp.resolve(".timestamp"), "exploded from " + war + "\n");
            if (Files.exists(dir)) TestFiles.deleteTree(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM of the same build won the race: use its copy
                TestFiles.deleteTree(tmp);
                if (!Files.exists(stamp)) throw raced;
            }
            return dir.toFile();
        }
    }

    private static Path warFile() throws IOException {
        String configured = System.getProperty("quire.hudson.war");
        if (configured != null && Files.isRegularFile(Path.of(configured))) return Path.of(configured);
        try {
            return Path.of(Which.jarFile(Class.forName("executable.Executable")).getPath());
        } catch (ClassNotFoundException e) {
            throw new IOException("hudson.war not found: set -Dquire.hudson.war or put the war on the classpath", e);
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) throw new IOException("war entry escapes its folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    // NoListenerConfiguration is package-private in the 1.395 harness
    private static Configuration noListenerConfiguration() throws Exception {
        Constructor<?> c = Class.forName("org.jvnet.hudson.test.NoListenerConfiguration").getDeclaredConstructor();
        c.setAccessible(true);
        return (Configuration) c.newInstance();
    }
}
