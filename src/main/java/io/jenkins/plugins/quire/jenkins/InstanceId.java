package io.jenkins.plugins.quire.jenkins;

import hudson.model.Hudson;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * Why: cache volumes are keyed by the Jenkins instance and the job. The root URL is no stable key: when none is
 * configured Hudson derives it from the current HTTP request, so a build (no request) and the caches page (a request)
 * would disagree. This is a random id made once and kept in {@code quire-ci-instance.id} in the Hudson root directory:
 * stable across restarts and URL changes, different for two instances sharing one Docker engine.
 */
final class InstanceId {
    static final String FILE = "quire-ci-instance.id";

    private InstanceId() { }

    static synchronized String get() {
        Hudson h = Hudson.getInstance();
        if (h == null) return "no-instance";
        File f = new File(h.getRootDir(), FILE);
        try {
            if (f.isFile()) {
                String id = Files.readString(f.toPath(), StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) return id;
            }
            String id = UUID.randomUUID().toString();
            try {
                Files.writeString(f.toPath(), id + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                return id;
            } catch (FileAlreadyExistsException raced) {
                return Files.readString(f.toPath(), StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            // an unwritable root directory: key by the directory itself, which is stable too
            return h.getRootDir().getAbsolutePath();
        }
    }
}
