package io.jenkins.plugins.quire.jenkins;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.RunAction;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.servlet.http.HttpServletResponse;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest;
import org.kohsuke.stapler.StaplerResponse;

/**
 * The "Quire CI" page of a build (docs/architecture.md), at {@code <build>/quire/}: renders the JSONL logs found in the
 * build's artifacts folder under {@code quire/} and serves them raw at {@code <build>/quire/raw?path=...}. Its only
 * data of its own is the Docker engine the build used ({@link #recordEngine}: the caches page asks that engine), so
 * it always shows what the logs say, also while the build is still writing them.
 *
 * <p>No lambdas or string concatenation here: Stapler 1.155 reads this class with ASM 2.2.3 to dispatch
 * {@code doRaw}, and that ASM fails on {@code invokedynamic} (docs/architecture.md).
 */
public class QuireRunAction implements RunAction, StaplerProxy {
    /** The folder, inside the build's artifacts folder, that holds the run's logs. */
    public static final String LOGS_FOLDER = "quire";
    /** Seconds between reloads of the page while the build runs. */
    public static final int REFRESH_SECONDS = 5;

    private transient Run<?, ?> run;
    /** The build's DOCKER_HOST (null: the node's default socket); kept in build.xml. */
    private String engineHost;
    /** False for builds made before the engine was recorded, and before the run started. */
    private boolean engineRecorded;

    /**
     * Attaches the page to a build unless it already has one; returns the build's action either way. Safe to call
     * from the build step and from the {@link QuireRunListener} for the same build.
     */
    public static QuireRunAction attachTo(Run<?, ?> build) {
        synchronized (build) {
            QuireRunAction existing = build.getAction(QuireRunAction.class);
            if (existing != null) {
                if (existing.run == null) existing.run = build;
                return existing;
            }
            QuireRunAction a = new QuireRunAction();
            build.addAction(a); // calls onAttached(build)
            return a;
        }
    }

    /** Records the Docker engine the build's run uses: its DOCKER_HOST, or null for the node's default socket. */
    void recordEngine(String dockerHost) {
        engineHost = dockerHost;
        engineRecorded = true;
    }

    /** Whether {@link #recordEngine} was called for this build. */
    boolean engineRecorded() {
        return engineRecorded;
    }

    /** The DOCKER_HOST recorded by {@link #recordEngine}, null for the node's default. */
    String engineHost() {
        return engineHost;
    }

    /** True when the build archived (or is writing) a Quire CI run log. */
    public static boolean hasRunLog(Run<?, ?> build) {
        return new File(new File(build.getArtifactsDir(), LOGS_FOLDER), "log.jsonl").isFile();
    }

    public void onAttached(Run r) {
        this.run = r;
    }

    public void onLoad() {
        // RunAction.onLoad() gets no build in 1.395 (nor in Jenkins): getOwner() recovers it from the request
    }

    public void onBuildComplete() {}

    /** The build this page belongs to; after a restart recovered from the URL being served. */
    public Run<?, ?> getOwner() {
        if (run == null) {
            StaplerRequest req = Stapler.getCurrentRequest();
            if (req != null) run = req.findAncestorObject(Run.class);
        }
        return run;
    }

    /** Every request into this page needs read permission on the job (Stapler also checks it on the way). */
    public Object getTarget() {
        checkRead();
        return this;
    }

    private void checkRead() {
        Run<?, ?> owner = getOwner();
        if (owner != null) owner.getParent().checkPermission(Item.READ);
    }

    /** {@code <artifacts>/quire}, or null when the build is unknown. */
    public File getLogsDir() {
        Run<?, ?> owner = getOwner();
        return owner == null ? null : new File(owner.getArtifactsDir(), LOGS_FOLDER);
    }

    /** The run as its logs say now; read afresh on each call (use it once per page). */
    public RunView getView() {
        File dir = getLogsDir();
        Run<?, ?> owner = getOwner();
        if (dir == null) return RunView.absent();
        return RunView.read(dir.toPath(), owner.isBuilding());
    }

    /** The run log only (status and job states, no sh blocks): for the row on the build's main page. */
    public RunView getSummaryView() {
        File dir = getLogsDir();
        return dir == null ? RunView.absent() : RunView.readRunLogOnly(dir.toPath(), isLive());
    }

    /** True while the build runs: the page then reloads itself every {@link #REFRESH_SECONDS} seconds. */
    public boolean isLive() {
        Run<?, ?> owner = getOwner();
        return owner != null && owner.isBuilding();
    }

    public int getRefreshSeconds() {
        return REFRESH_SECONDS;
    }

    /**
     * {@code GET <build>/quire/raw?path=jobs/test/log.jsonl}: a file of the build's {@code quire/} folder as
     * plain text. Anything outside that folder (see {@link LogFileResolver}) and missing files answer 404.
     */
    public void doRaw(StaplerRequest req, StaplerResponse rsp) throws IOException {
        checkRead();
        Run<?, ?> owner = getOwner();
        Path file = owner == null ? null : LogFileResolver.resolve(owner.getArtifactsDir().toPath(), req.getParameter("path"));
        if (file == null) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        rsp.setContentType("text/plain; charset=UTF-8");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        rsp.setHeader("Content-Disposition", "inline; filename=\"log.jsonl\"");
        rsp.setHeader("Content-Length", Long.toString(Files.size(file)));
        try (OutputStream out = rsp.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    /** {@code GET <build>/quire/graph}: the job graph as an SVG document (shown by the page in a frame). */
    public void doGraph(StaplerRequest req, StaplerResponse rsp) throws IOException {
        checkRead();
        RunPicture.Svg svg = getView().getGraph();
        sendSvg(rsp, svg == null ? null : svg.svg());
    }

    /** {@code GET <build>/quire/timeline}: the timeline as an SVG document (shown by the page in a frame). */
    public void doTimeline(StaplerRequest req, StaplerResponse rsp) throws IOException {
        checkRead();
        RunPicture.Svg svg = getView().getTimeline();
        sendSvg(rsp, svg == null ? null : svg.svg());
    }

    /**
     * Sends a picture as its own document: Hudson 1.395's behavior.js fails on any SVG element inside the page (an
     * SVG className is not a string), so the page frames these. Everything from the logs is escaped (SvgWriter);
     * the policy forbids scripts and every load on top of that.
     */
    private static void sendSvg(StaplerResponse rsp, String svg) throws IOException {
        if (svg == null) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] bytes = svg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        rsp.setContentType("image/svg+xml; charset=UTF-8");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        rsp.setHeader("Content-Security-Policy", SVG_POLICY);
        rsp.setHeader("Cache-Control", "no-cache");
        rsp.setContentLength(bytes.length);
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(bytes);
        }
    }

    /** No script, no load of any kind; inline styles only. */
    static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    /** A core status ball matching the run: blue (success), red (failure, container died), grey (other). */
    public String getIconFileName() {
        File dir = getLogsDir();
        if (dir == null) return "clipboard.png";
        String state = RunView.readRunLogOnly(dir.toPath(), isLive()).getState();
        switch (state) {
            case "success":
                return "blue.png";
            case "failure":
            case "container-died":
                return "red.png";
            case "running":
                return "grey_anime.gif";
            default:
                return "grey.png";
        }
    }

    public String getDisplayName() {
        return "Quire CI";
    }

    public String getUrlName() {
        return "quire";
    }
}
