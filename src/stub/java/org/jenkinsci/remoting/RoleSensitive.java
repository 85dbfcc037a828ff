package org.jenkinsci.remoting;

/**
 * Compile-only stand-in for the remoting type of current Jenkins (absent from Hudson 1.395 and not fetchable here):
 * only the signature the plugin's callables implement. Compiled before the plugin and left out of its jar and .hpi
 * (docs/agents.md); at run time current Jenkins provides the real type, and 1.395 never touches it.
 */
public interface RoleSensitive {
    void checkRoles(RoleChecker checker) throws SecurityException;
}
