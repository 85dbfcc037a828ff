package io.jenkins.plugins.quire.jenkins;

import hudson.model.AbstractProject;
import hudson.model.Action;
import hudson.model.Item;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.ContainerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletResponse;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest;
import org.kohsuke.stapler.StaplerResponse;

/**
 * Why: the "Quire CI caches" page of a job (README, Caches): lists the job's cache volumes (path, volume, size,
 * creation time) in the engine of the node that ran its last build, and clears them with a POST that needs the job's configure
 * permission (and the crumb, checked by Hudson's crumb filter when CSRF protection is on). Stapler reads this class
 * with an old ASM, so it holds no lambda or string {@code +} ({@code StaplerBytecodeTest}).
 */
public class QuireCachesAction implements Action {
    private final AbstractProject<?, ?> job;
    /** The request attribute holding why the list is empty (per request: this action serves every request). */
    private static final String ERROR_ATTRIBUTE = "io.jenkins.plugins.quire.cachesError";

    QuireCachesAction(AbstractProject<?, ?> job) {
        this.job = job;
    }

    public AbstractProject<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "folder.png";
    }

    @Override
    public String getDisplayName() {
        return "Quire CI caches";
    }

    @Override
    public String getUrlName() {
        return "quire-caches";
    }

    /** One row of the page. */
    public static final class Row {
        private final CacheVolume v;

        Row(CacheVolume v) {
            this.v = v;
        }

        public String getPath() {
            return v.path();
        }

        public String getVolume() {
            return v.volume();
        }

        /** The size the engine measured, human readable ({@code 20.1 MB}), or "unknown" (not {@code getSize}: {@code size} is a JEXL word). */
        public String getSizeText() {
            return v.sizeText();
        }

        /** The size in bytes, or -1 when unknown (for sorting). */
        public long getBytes() {
            return v.size() == null ? -1 : v.size().longValue();
        }

        public String getCreated() {
            return v.created().isEmpty() ? "unknown" : v.created();
        }
    }

    /** The job's caches, or an empty list with {@link #getError()} set when the engine cannot be asked. */
    public List<Row> getCaches() {
        job.checkPermission(Item.READ);
        List<Row> rows = new ArrayList<>();
        String error = null;
        try {
            for (CacheVolume v : JobCaches.list(job, job.getFullName())) rows.add(new Row(v));
        } catch (RuntimeException e) {
            error = "cannot list the caches: ".concat(String.valueOf(e.getMessage())); // no invokedynamic: Stapler's ASM
        }
        StaplerRequest req = Stapler.getCurrentRequest();
        if (req != null) req.setAttribute(ERROR_ATTRIBUTE, error);
        return rows;
    }

    /** Why the list is empty when the engine could not be asked, else null (read after {@link #getCaches()}). */
    public String getError() {
        StaplerRequest req = Stapler.getCurrentRequest();
        Object e = req == null ? null : req.getAttribute(ERROR_ATTRIBUTE);
        return e == null ? null : e.toString();
    }

    /** POST {@code clear} (optional {@code path}): removes the job's caches, or that one; then back to the page. */
    public void doClear(StaplerRequest req, StaplerResponse rsp) throws IOException, ServletException {
        if (!"POST".equals(req.getMethod())) {
            rsp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "POST only");
            return;
        }
        job.checkPermission(Item.CONFIGURE);
        String path = req.getParameter("path");
        try {
            JobCaches.clear(job, job.getFullName(), path == null || path.isEmpty() ? null : path);
        } catch (ContainerException e) {
            rsp.sendError(HttpServletResponse.SC_CONFLICT, e.getMessage());    // a running build uses the volume
            return;
        } catch (RuntimeException e) {
            // no engine, or a DOCKER_HOST it cannot use: say so, never a stack trace page
            rsp.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "cannot clear the caches: ".concat(String.valueOf(e.getMessage())));
            return;
        }
        rsp.sendRedirect(".");
    }
}
