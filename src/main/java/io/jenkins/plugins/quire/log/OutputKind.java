package io.jenkins.plugins.quire.log;

/** Which output stream of an {@code sh} a chunk came from; its wire name is the JSONL {@code kind}. */
public enum OutputKind {
    STDOUT("stdout"),
    STDERR("stderr");

    private final String wireName;

    OutputKind(String wireName) {
        this.wireName = wireName;
    }

    /** The JSONL {@code kind} value: {@code stdout} or {@code stderr}. */
    public String wireName() {
        return wireName;
    }
}
