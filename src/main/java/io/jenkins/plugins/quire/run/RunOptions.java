package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.LogStore;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one pipeline run needs from its caller (the CLI or the Jenkins build step): where the workspace and
 * ci.fnl are, which image, where the logs go, the declared secrets, the limits, the build environment that fills
 * {@code quire/push}, and who owns the container. Immutable; built with {@link #builder(Path)}.
 */
public final class RunOptions {
    /** Default wall-clock timeout of one job (docs/language.md, Limits). */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(60);
    /** Longest job timeout: one week (the build step's field has the same bound). */
    public static final Duration MAX_JOB_TIMEOUT = Duration.ofDays(7);
    /** The Lua budget of one job: host time (a running sh) is not charged against it. */
    public static final SandboxLimits DEFAULT_JOB_LIMITS = SandboxLimits.defaults();

    /** How many jobs run at once unless told otherwise (the CLI's {@code --parallel}, the build step's field). */
    public static final int DEFAULT_PARALLEL = 4;
    /** The most jobs a run may run at once. */
    public static final int MAX_PARALLEL = JobScheduler.MAX_PARALLEL;

    private final Path workspace;
    private final Path ciFile;
    private final String imageOverride;
    private final String defaultImage;
    private final Path logsDir;
    private final Map<String, String> secrets;
    private final Duration jobTimeout;
    private final SandboxLimits jobLimits;
    private final Map<String, String> environment;
    private final String owner;
    private final String controller;
    private final String runId;
    private final String execUser;
    private final EngineConfig engine;
    private final LuaJson.Limits outputLimits;
    private final Long memoryBytes;
    private final int parallel;
    private final ExecMode execMode;
    private final LogStore.Opener logStore;
    private final String cacheOwner;

    private RunOptions(Builder b) {
        this.workspace = b.workspace;
        this.ciFile = b.ciFile != null ? b.ciFile : b.workspace.resolve(".quire/ci.fnl");
        this.imageOverride = blankToNull(b.imageOverride);
        this.defaultImage = blankToNull(b.defaultImage);
        this.logsDir = b.logsDir;
        this.secrets = Map.copyOf(b.secrets);
        this.jobTimeout = b.jobTimeout;
        this.jobLimits = b.jobLimits;
        this.environment = Map.copyOf(b.environment);
        this.owner = b.owner;
        this.controller = blankToNull(b.controller) != null ? b.controller.trim() : b.owner;
        this.runId = b.runId;
        this.execUser = blankToNull(b.execUser);
        this.engine = b.engine;
        this.outputLimits = b.outputLimits;
        this.memoryBytes = b.memoryBytes;
        this.parallel = b.parallel;
        this.execMode = b.execMode;
        this.logStore = b.logStore;
        this.cacheOwner = b.cacheOwner != null ? b.cacheOwner : CacheOwners.workspace(b.workspace);
    }

    /** The owner key of the pipeline's caches ({@link CacheOwners}); by default the workspace's canonical path. */
    public String cacheOwner() { return cacheOwner; }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static Builder builder(Path workspace) {
        return new Builder(workspace);
    }

    public Path workspace() { return workspace; }
    public Path ciFile() { return ciFile; }
    /** The image given by the caller (build step field, {@code --image}); wins over {@code (ci.image ...)}. */
    public String imageOverride() { return imageOverride; }
    /** The image used when neither an override nor {@code (ci.image ...)} names one. */
    public String defaultImage() { return defaultImage; }
    public Path logsDir() { return logsDir; }
    /** Declared secrets: name to value. */
    public Map<String, String> secrets() { return secrets; }
    public Duration jobTimeout() { return jobTimeout; }
    public SandboxLimits jobLimits() { return jobLimits; }
    /** The build's environment ({@code GIT_COMMIT}, {@code BUILD_NUMBER}, ...), read for {@code quire/push}. */
    public Map<String, String> environment() { return environment; }
    /** Label {@code io.quire.owner}: the Jenkins URL or "cli"; leftovers of the same owner are swept at start. */
    public String owner() { return owner; }
    /**
     * Label {@code io.quire.controller}: the Jenkins instance (or "cli") the run belongs to; a sweep never touches
     * another controller's containers. Defaults to the owner.
     */
    public String controller() { return controller; }
    public String runId() { return runId; }
    /** Exec user ("uid:gid"); null = the owner of the workspace. */
    public String execUser() { return execUser; }
    public EngineConfig engine() { return engine; }
    /** The bounds on each job's outputs (values and bytes), checked while they are turned into JSON. */
    public LuaJson.Limits outputLimits() { return outputLimits; }
    /** Memory limit of the run's container (memory + swap) in bytes; null = none. */
    public Long memoryBytes() { return memoryBytes; }
    /** At most this many jobs run at once; 1 runs them one at a time in registration order. */
    public int parallel() { return parallel; }
    /** How {@code sh} reaches the container: the exec agent (default, with fallback) or plain {@code docker exec}. */
    public ExecMode execMode() { return execMode; }
    /** Where the JSONL logs are written instead of files in {@link #logsDir()} (an agent streams them); null = there. */
    public LogStore.Opener logStore() { return logStore; }

    /** Builder for {@link RunOptions}. */
    public static final class Builder {
        private final Path workspace;
        private Path ciFile;
        private String imageOverride;
        private String defaultImage;
        private Path logsDir;
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private SandboxLimits jobLimits = DEFAULT_JOB_LIMITS;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String owner = "cli";
        private String controller;
        private String runId;
        private String execUser;
        private EngineConfig engine = EngineConfig.defaults();
        private LuaJson.Limits outputLimits = LuaJson.Limits.DEFAULTS;
        private Long memoryBytes;
        private int parallel = DEFAULT_PARALLEL;
        private ExecMode execMode = ExecMode.AGENT;
        private LogStore.Opener logStore;
        private String cacheOwner;

        private Builder(Path workspace) {
            this.workspace = workspace.toAbsolutePath().normalize();
        }

        public Builder ciFile(Path f) { this.ciFile = f == null ? null : workspace.resolve(f).normalize(); return this; }
        public Builder imageOverride(String i) { this.imageOverride = i; return this; }
        public Builder defaultImage(String i) { this.defaultImage = i; return this; }
        public Builder logsDir(Path d) { this.logsDir = d == null ? null : workspace.resolve(d).normalize(); return this; }
        public Builder secret(String name, String value) { this.secrets.put(name, value); return this; }
        public Builder secrets(Map<String, String> s) { this.secrets.putAll(s); return this; }
        public Builder jobTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("job timeout must be positive");
            if (d.compareTo(MAX_JOB_TIMEOUT) > 0)
                throw new IllegalArgumentException("job timeout must be at most one week, got " + d);
            this.jobTimeout = d;
            return this;
        }
        public Builder jobLimits(SandboxLimits l) { this.jobLimits = l; return this; }
        public Builder environment(Map<String, String> env) { this.environment.putAll(env); return this; }
        public Builder owner(String o) { this.owner = o; return this; }
        /** Null or blank means the owner. */
        public Builder controller(String c) { this.controller = c; return this; }
        public Builder runId(String id) { this.runId = id; return this; }
        public Builder execUser(String u) { this.execUser = u; return this; }
        public Builder engine(EngineConfig e) { this.engine = e; return this; }
        /** Null means the default, {@link ExecMode#AGENT}. */
        public Builder execMode(ExecMode m) { this.execMode = m == null ? ExecMode.AGENT : m; return this; }
        /** The logs go to this store instead of files in the logs folder ({@link #logsDir} then only names them). */
        public Builder logStore(LogStore.Opener s) { this.logStore = s; return this; }
        /** The owner key of the caches ({@link CacheOwners}); null = the workspace's canonical path. */
        public Builder cacheOwner(String o) { this.cacheOwner = o == null || o.isBlank() ? null : o; return this; }
        public Builder outputLimits(LuaJson.Limits l) { this.outputLimits = l; return this; }
        /** @throws IllegalArgumentException below {@link MemoryLimit#MIN_BYTES} or above {@link MemoryLimit#MAX_BYTES} */
        public Builder memoryBytes(Long bytes) {
            if (bytes != null && (bytes < MemoryLimit.MIN_BYTES || bytes > MemoryLimit.MAX_BYTES))
                throw new IllegalArgumentException("memory limit out of range: " + bytes + " bytes");
            this.memoryBytes = bytes;
            return this;
        }

        /** @throws IllegalArgumentException outside 1 to {@link #MAX_PARALLEL} */
        public Builder parallel(int n) {
            if (n < 1 || n > MAX_PARALLEL)
                throw new IllegalArgumentException("parallel jobs must be from 1 to " + MAX_PARALLEL + ", got " + n);
            this.parallel = n;
            return this;
        }

        public RunOptions build() {
            if (runId == null) runId = RunIds.next();
            if (logsDir == null) logsDir = workspace.resolve(".quire/logs").resolve(runId);
            return new RunOptions(this);
        }
    }
}
