package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.BuildListener;
import hudson.model.Descriptor;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.CapturedParameterNames;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import io.jenkins.plugins.quire.run.RunOptions;
import org.kohsuke.stapler.StaplerRequest;

/**
 * The freestyle build step "Run Quire CI pipeline": runs the workspace's ci.fnl in one Docker container
 * and streams the human-readable log into the build console. This class holds the job's settings (persisted in the
 * job's {@code config.xml} as {@code file}, {@code image}, {@code timeout}, {@code secrets}, {@code memory}, {@code parallel}, {@code exec}); the run
 * itself is {@link BuildRun}. Its {@link DescriptorImpl} also holds the global settings (default image, secrets shared by all
 * jobs). Stapler 1.155 reads this class with ASM 2.2.3: no lambdas and no string concatenation in it (docs/architecture.md).
 */
public final class QuireBuilder extends Builder {
    // not final: readResolve gives a config.xml without them (REST createItem, job generators) their defaults
    private String file;
    private String image;
    private int timeout;
    private ArrayList<SecretEntry> secrets;
    /** Memory limit of the run's container as typed ("512m"); null = none. Checked when a build starts. */
    private String memory;
    /** How many jobs run at once as typed ("4"); null = {@link RunOptions#DEFAULT_PARALLEL}. Checked when a build starts. */
    private String parallel;
    /** "agent" (default: the resident exec agent, plain docker exec when it cannot run) or "docker" (always plain). */
    private String exec;

    /**
     * @param file    ci.fnl path relative to the workspace; blank = {@code .quire/ci.fnl}
     * @param image   image override (wins over {@code (ci.image ...)}); blank = none
     * @param timeout job timeout in minutes; blank or invalid = 60
     * @param secrets the job's secrets (win over global secrets of the same name)
     * @param memory  memory limit of the run's container such as {@code 512m}; blank = none
     * @param parallel how many jobs run at once, 1 to 64; blank = {@link RunOptions#DEFAULT_PARALLEL}
     * @param exec     exec mode "agent" or "docker"; blank = agent
     */
    @DataBoundConstructor
    @CapturedParameterNames({"file", "image", "timeout", "secrets", "memory", "parallel", "exec"})
    public QuireBuilder(String file, String image, String timeout, List<SecretEntry> secrets, String memory,
            String parallel, String exec) {
        this.file = FormChecks.fileOrDefault(file);
        this.image = FormChecks.trimToNull(image);
        this.timeout = FormChecks.timeoutMinutes(timeout);
        this.secrets = secrets == null ? new ArrayList<SecretEntry>() : new ArrayList<SecretEntry>(secrets);
        this.memory = FormChecks.trimToNull(memory);
        this.parallel = FormChecks.trimToNull(parallel);
        this.exec = execOrDefault(exec);
    }

    /** In the default exec mode (the agent). */
    public QuireBuilder(String file, String image, String timeout, List<SecretEntry> secrets, String memory,
            String parallel) {
        this(file, image, timeout, secrets, memory, parallel, null);
    }

    /** With the default parallelism. */
    public QuireBuilder(String file, String image, String timeout, List<SecretEntry> secrets, String memory) {
        this(file, image, timeout, secrets, memory, null);
    }

    /** Without a memory limit. */
    public QuireBuilder(String file, String image, String timeout, List<SecretEntry> secrets) {
        this(file, image, timeout, secrets, null);
    }

    /** The pipeline file, relative to the workspace. */
    public String getFile() {
        return file;
    }

    /** The image override, or null. */
    public String getImage() {
        return image;
    }

    /** The job timeout in minutes. */
    public int getTimeout() {
        return timeout;
    }

    /** The job's own secrets. */
    public List<SecretEntry> getSecrets() {
        return secrets;
    }

    /** The memory limit of the run's container as typed, or null for none. */
    public String getMemory() {
        return memory;
    }

    /** How many jobs run at once as typed, or null for the default. */
    public String getParallel() {
        return parallel;
    }

    /** The exec mode as stored: "agent" (also for a blank or missing value) or "docker"; other text is refused when a build starts. */
    public String getExec() {
        return exec;
    }

    private static String execOrDefault(String value) {
        String v = FormChecks.trimToNull(value);
        return v == null ? "agent" : v;
    }

    /**
     * A config.xml written without the form (REST {@code createItem}, job generators, hand edits) may lack any field
     * or hold a value the form would refuse: each gets what the constructor gives a blank field.
     */
    private Object readResolve() {
        if (secrets == null) secrets = new ArrayList<SecretEntry>();
        file = FormChecks.fileOrDefault(file);
        image = FormChecks.trimToNull(image);
        if (FormChecks.timeout(String.valueOf(timeout)) != null) timeout = FormChecks.DEFAULT_TIMEOUT_MINUTES;
        memory = FormChecks.trimToNull(memory); // absent = no limit; a blank element too
        parallel = FormChecks.trimToNull(parallel); // absent (a job saved before the field existed) = the default
        exec = execOrDefault(exec); // absent (a job saved before issue 9) = the agent
        return this;
    }

    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        return new BuildRun(this, getDescriptor(), build, listener).perform();
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public DescriptorImpl getDescriptor() {
        return (DescriptorImpl) super.getDescriptor();
    }

    /**
     * The build step's descriptor: display name, form validation (no I/O), and the global Quire CI settings shown
     * on Manage Hudson → Configure System ({@code global.jelly}), persisted in
     * {@code <HUDSON_HOME>/io.jenkins.plugins.quire.jenkins.QuireBuilder.xml} as {@code defaultImage} and
     * {@code globalSecrets}.
     */
    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        private String defaultImage;
        private ArrayList<SecretEntry> globalSecrets = new ArrayList<SecretEntry>();

        public DescriptorImpl() {
            super(QuireBuilder.class);
            load();
            // a hand-written or generated global file may lack fields or hold blanks
            if (globalSecrets == null) globalSecrets = new ArrayList<SecretEntry>();
            defaultImage = FormChecks.trimToNull(defaultImage);
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Run Quire CI pipeline";
        }

        /** The image used when neither the step nor ci.fnl names one; null when unset. */
        public String getDefaultImage() {
            return defaultImage;
        }

        /** Secrets every job's pipeline can read. */
        public List<SecretEntry> getGlobalSecrets() {
            return globalSecrets;
        }

        /** Sets the global settings (tests and the configure form). */
        public void setGlobal(String defaultImage, List<SecretEntry> secrets) {
            this.defaultImage = FormChecks.trimToNull(defaultImage);
            this.globalSecrets = secrets == null ? new ArrayList<SecretEntry>() : new ArrayList<SecretEntry>(secrets);
        }

        @Override
        public boolean configure(StaplerRequest req, JSONObject json) throws Descriptor.FormException {
            Object secretsJson = json.opt("globalSecrets");
            List<SecretEntry> bound = secretsJson == null ? new ArrayList<SecretEntry>()
                    : req.bindJSONToList(SecretEntry.class, secretsJson);
            setGlobal(json.optString("defaultImage"), bound);
            save();
            return true;
        }

        public FormValidation doCheckFile(@QueryParameter("value") String value) {
            return result(FormChecks.file(value));
        }

        public FormValidation doCheckImage(@QueryParameter("value") String value) {
            return result(FormChecks.image(value));
        }

        public FormValidation doCheckDefaultImage(@QueryParameter("value") String value) {
            return result(FormChecks.image(value));
        }

        public FormValidation doCheckTimeout(@QueryParameter("value") String value) {
            return result(FormChecks.timeout(value));
        }

        public FormValidation doCheckMemory(@QueryParameter("value") String value) {
            return result(FormChecks.memory(value));
        }

        public FormValidation doCheckParallel(@QueryParameter("value") String value) {
            return result(FormChecks.parallel(value));
        }

        private static FormValidation result(String error) {
            return error == null ? FormValidation.ok() : FormValidation.error(error);
        }
    }
}
