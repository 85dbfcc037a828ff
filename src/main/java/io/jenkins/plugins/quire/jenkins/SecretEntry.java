package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Hudson;
import hudson.util.FormValidation;
import hudson.util.Secret;
import org.kohsuke.stapler.CapturedParameterNames;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * One secret a pipeline can read with {@code (secret name)}: a name and a value kept encrypted ({@link Secret}) in
 * {@code config.xml} and in the global configuration. Used by the build step (per job) and by its descriptor (shared by
 * all jobs). Stapler reads this class with ASM 2.2.3: no lambdas, no string concatenation (docs/architecture.md).
 */
public final class SecretEntry implements Describable<SecretEntry> {
    // not final: readResolve gives an entry written without the form its defaults
    private String name;
    private final Secret value;

    @DataBoundConstructor
    @CapturedParameterNames({"name", "value"})
    public SecretEntry(String name, Secret value) {
        this.name = name == null ? "" : name.trim();
        this.value = value;
    }

    /** A config.xml written without the form may lack the name (the value may be null: {@link #plainValue}). */
    private Object readResolve() {
        name = name == null ? "" : name.trim();
        return this;
    }

    /** The name {@code (secret name)} uses. */
    public String getName() {
        return name;
    }

    /** The encrypted value; call {@link Secret#getPlainText()} only where the run needs it. */
    public Secret getValue() {
        return value;
    }

    /** The clear value (empty when none was given): only for handing to the run. */
    String plainValue() {
        return value == null ? "" : value.getPlainText();
    }

    public Descriptor<SecretEntry> getDescriptor() {
        return Hudson.getInstance().getDescriptorOrDie(SecretEntry.class);
    }

    /** Form support for one secret row (name and password fields). */
    @Extension
    public static final class DescriptorImpl extends Descriptor<SecretEntry> {
        public DescriptorImpl() {
            super(SecretEntry.class);
        }

        @Override
        public String getDisplayName() {
            return "Quire CI secret";
        }

        /** Secret names follow {@code [A-Za-z_][A-Za-z0-9_.-]*}; no I/O. */
        public FormValidation doCheckName(@QueryParameter("value") String value) {
            String error = FormChecks.secretName(value);
            return error == null ? FormValidation.ok() : FormValidation.error(error);
        }
    }
}
