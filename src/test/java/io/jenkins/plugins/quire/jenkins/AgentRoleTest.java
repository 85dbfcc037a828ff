package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jenkinsci.remoting.Role;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.Roles;
import org.junit.jupiter.api.Test;

/**
 * The callables the plugin sends to a node declare the agent side as their recipient the way current Jenkins asks
 * ({@code checkRoles}), against the compile-only stand-ins of the remoting role types (on this test class path), and
 * the plain classes used on Hudson 1.395 name no such type in any method (docs/agents.md).
 */
class AgentRoleTest {
    private static List<Object> check(RoleSensitive callable) {
        List<Object> seen = new ArrayList<>();
        callable.checkRoles(new RoleChecker() {
            @Override
            public void check(RoleSensitive subject, Collection<Role> expected) {
                seen.add(subject);
                seen.add(List.copyOf(expected));
            }
        });
        return seen;
    }

    @Test
    void whereTheRoleTypesExistTheCallablesAreRoleSensitiveAndAskForTheAgentSide() {
        assertTrue(RemotingRoles.PRESENT, "the stand-ins are on the test class path");
        Object abort = AbortNodeRun.create("k", "why");
        RoleSensitive a = assertInstanceOf(RoleSensitive.class, abort);
        List<Object> seen = check(a);
        assertSame(a, seen.get(0));
        assertEquals(List.of(Roles.SLAVE), seen.get(1));
        RoleSensitive caches = assertInstanceOf(RoleSensitive.class, CachesOnNode.create(null, "o", false, null));
        assertEquals(List.of(caches, List.of(Roles.SLAVE)), check(caches));
        // NodeRunWithRoles checks the same way (it needs a Hudson descriptor to be built; AgentBuildHudsonIT sends it)
        assertTrue(RoleSensitive.class.isAssignableFrom(NodeRunWithRoles.class));
        assertTrue(NodeRun.class.isAssignableFrom(NodeRunWithRoles.class));
    }

    @Test
    void thePlainCallablesNameNoRemotingRoleTypeInAnyMethod() {
        for (Class<?> c : List.of(NodeRun.class, AbortNodeRun.class, CachesOnNode.class, JobCaches.class, RemotingRoles.class)) {
            assertFalse(RoleSensitive.class.isAssignableFrom(c), c.getName());
            for (Method m : c.getDeclaredMethods()) {
                for (Class<?> p : m.getParameterTypes()) {
                    assertFalse(p.getName().startsWith("org.jenkinsci."), c.getName() + "." + m.getName());
                }
            }
        }
    }
}
