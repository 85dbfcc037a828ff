package io.jenkins.plugins.quire.jenkins;

/**
 * Why: the engine is Java 17 bytecode, and a node whose JVM is older fails to load it with a bare
 * {@code UnsupportedClassVersionError}. Given the Java version a node reports ({@code java.specification.version}),
 * this says in plain words which node is too old, so the build fails with that message instead.
 */
public final class NodeJavaCheck {
    /** The oldest Java the engine runs on. */
    public static final int REQUIRED = 17;

    private NodeJavaCheck() { }

    /**
     * @param nodeName          the node's name as Hudson shows it; empty or null is the built-in node
     * @param specVersion       the node JVM's {@code java.specification.version} ("1.8", "11", "17", ...)
     * @return null when the node's Java is recent enough, else the message to fail the build with
     */
    public static String problem(String nodeName, String specVersion) {
        String node = nodeName == null || nodeName.isEmpty() ? "the built-in node" : "node '" + nodeName + "'";
        Integer feature = feature(specVersion);
        if (feature == null)
            return node + " reports Java version '" + specVersion + "', which Quire CI cannot read; Quire CI needs Java "
                    + REQUIRED + " or newer on every node that runs its build step";
        if (feature >= REQUIRED) return null;
        return node + " runs Java " + feature + "; Quire CI needs Java " + REQUIRED
                + " or newer on every node that runs its build step";
    }

    /** The feature release of a specification version: "1.8" is 8, "11" is 11; null when unreadable. */
    static Integer feature(String specVersion) {
        if (specVersion == null) return null;
        String v = specVersion.trim();
        if (v.startsWith("1.")) v = v.substring(2);
        int dot = v.indexOf('.');
        if (dot >= 0) v = v.substring(0, dot);
        if (v.isEmpty() || v.length() > 4 || !v.chars().allMatch(Character::isDigit)) return null;
        return Integer.valueOf(v);
    }
}
