package io.jenkins.plugins.quire.container;

import java.util.Locale;

/**
 * Why: how a run's {@code sh} commands reach the container (docs/exec-agent.md): through the resident exec agent,
 * or each as a plain {@code docker exec}. Asked for by the caller (agent by default, docker to force the plain mode)
 * and reported by the container ({@link ExecModeReport}).
 */
public enum ExecMode {
    AGENT,
    DOCKER;

    /** The name in logs, options and the CLI: "agent" or "docker". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ExecMode parse(String s) {
        if (s != null) {
            for (ExecMode m : values()) if (m.label().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
        }
        throw new IllegalArgumentException("exec mode must be 'agent' or 'docker', got '" + s + "'");
    }
}
