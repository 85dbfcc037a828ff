package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jenkinsci.remoting.Role;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;
import org.junit.jupiter.api.Test;

/**
 * The plugin's callables declare the agent side as their recipient the way current Jenkins asks
 * ({@code checkRoles}), against the compile-only stand-ins of the remoting role types (docs/agents.md).
 */
class AgentRoleTest {
    @Test
    void masterToAgentChecksTheCallableAgainstTheAgentRoleOnly() {
        List<Object> seen = new ArrayList<>();
        RoleChecker checker = new RoleChecker() {
            @Override
            public void check(RoleSensitive subject, Collection<Role> expected) {
                seen.add(subject);
                seen.add(List.copyOf(expected));
            }
        };
        RoleSensitive callable = c -> AgentRole.masterToAgent(null, c);
        AgentRole.masterToAgent(callable, checker);
        assertSame(callable, seen.get(0));
        assertEquals(List.of(Roles.SLAVE), seen.get(1));
    }

    @Test
    void everyCallableSentToANodeHasAPublicCheckRoles() throws Exception {
        for (Class<?> c : List.of(NodeRun.class, AbortNodeRun.class)) {
            Method m = c.getDeclaredMethod("checkRoles", RoleChecker.class);
            assertEquals(void.class, m.getReturnType(), c.getName());
            assertEquals(Modifier.PUBLIC, m.getModifiers() & Modifier.PUBLIC, c.getName());
        }
    }
}
