package io.jenkins.plugins.quire.jenkins;

import java.util.Collections;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;

/**
 * Why: current Jenkins runs a callable on an agent only when it declares that it is meant for the agent side
 * ({@code RoleSensitive.checkRoles}); there {@code FileCallable} and {@code Callable} extend {@code RoleSensitive},
 * so the plugin's callables ({@link NodeRun}, {@link AbortNodeRun}) are such objects, and their {@code checkRoles}
 * lands here. Hudson 1.395 has no roles and never calls it, so this class (and the remoting types it names, which
 * the plugin does not ship) is never loaded there (docs/agents.md).
 */
final class AgentRole {
    private AgentRole() {}

    /** Declares {@code callable} master-to-agent: it must run on the agent side of the channel. */
    static void masterToAgent(Object callable, RoleChecker checker) {
        checker.check((RoleSensitive) callable, Collections.singletonList(Roles.SLAVE));
    }
}
