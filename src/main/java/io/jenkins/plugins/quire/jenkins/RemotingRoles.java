package io.jenkins.plugins.quire.jenkins;

/**
 * Why: current Jenkins' remoting only runs callables that declare their recipient ({@code RoleSensitive}); Hudson
 * 1.395's has no such type, and there a callable class that merely names it in a method signature cannot even be
 * serialised (Java serialisation reflects on the class's methods, which loads their parameter types). So the
 * plugin picks its callables' classes at run time: the {@code ...WithRoles} subclasses where the type exists, the
 * plain ones elsewhere (docs/agents.md). This class names no remoting role type itself.
 */
final class RemotingRoles {
    /** Whether {@code org.jenkinsci.remoting.RoleSensitive} can be loaded by the plugin. */
    static final boolean PRESENT = present("org.jenkinsci.remoting.RoleSensitive");

    private RemotingRoles() {}

    static boolean present(String className) {
        try {
            Class.forName(className, false, RemotingRoles.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
