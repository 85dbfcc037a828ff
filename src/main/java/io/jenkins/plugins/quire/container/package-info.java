/**
 * Docker backend (docs/architecture.md): the only package that imports docker-java; its public API uses our own
 * types only.
 *
 * <pre>
 * try (DockerEngine engine = DockerEngine.connect(EngineConfig.defaults())) {   // EngineUnavailableException
 *     engine.sweepLeftovers(owner);                                            // containers of crashed runs
 *     try (RunContainer box = engine.startRun(RunSpec.of(image, workspace, runId, owner))) {  // ImageUnavailableException
 *         box.onDeath(reason -&gt; ...);                                          // container-died {reason}
 *         ExecResult r = box.exec(ExecRequest.shell("make test").withEnv(secrets).withWorkDir("sub")
 *                 .withTimeout(Duration.ofMinutes(60)), listener);             // stdout/stderr chunks as they arrive
 *         // r.outcome(): SUCCEEDED | FAILED | TIMED_OUT | ABORTED | COMMAND_OOM_KILLED | CONTAINER_DIED
 *     }                                                                        // kill + force remove
 * }
 * </pre>
 *
 * Every blocking Docker call has our own deadline ({@link io.jenkins.plugins.quire.container.EngineConfig#callTimeout()});
 * every exec carries {@code QUIRE_EXEC_TOKEN} so its whole process tree can be killed; a JVM shutdown hook removes
 * containers still open. Overview and guarantees: docs/architecture.md, docs/security.md.
 */
package io.jenkins.plugins.quire.container;
