;; The demo server's pipeline: scripts/main.sh copies it into the demo job's workspace as .quire/ci.fnl
;; (work/jobs/quire-demo/workspace/.quire/ci.fnl; edit it there and press "Build Now" to try changes).
;; It shows several jobs passing outputs, stdout and stderr, a secret that never appears in clear,
;; and a job that returns nil and is therefore skipped.
(local ci (require :quire.ci))

(ci.image "quire-test:debian")

(fn trim [s]
  (pick-values 1 (s:gsub "%s+$" "")))

;; What triggered the build (Hudson's build number) and a look at the workspace.
(ci.job :describe [:quire/push]
  (fn [{: sh : jobs}]
    (let [push (jobs :quire/push)
          os (sh "grep PRETTY_NAME /etc/os-release | cut -d= -f2 | tr -d '\"'")
          files (sh "ls -1A | wc -l")]
      {:build-number push.build-number
       :os (trim os.stdout)
       :files (tonumber (trim files.stdout))})))

;; Builds a versioned file in the workspace and passes its name and version on.
(ci.job :build [:describe]
  (fn [{: sh : jobs}]
    (let [{: build-number} (jobs :describe)
          version (.. "0.1." (or build-number 0))
          r (sh (.. "mkdir -p dist && printf '%s\\n' '" version "' > dist/VERSION && cat dist/VERSION"))]
      (when (not= 0 r.exit)
        (error (.. "build failed: " r.stderr)))
      {:artifact "dist/VERSION" :version (trim r.stdout)})))

;; Checks the file from `build`; also writes a warning to stderr (shown in another colour).
(ci.job :test [:build]
  (fn [{: sh : jobs}]
    (let [{: artifact : version} (jobs :build)
          r (sh ["grep" "-qx" version artifact] {:timeout 30})]
      (sh "echo 'warning: this demo has only one test' >&2; for i in 1 2 3; do echo \"check $i ok\"; done")
      (if (= 0 r.exit)
          {:checked artifact}
          (error (.. artifact " does not contain " version))))))

;; Uses the secret configured in the job: the console and the logs show {{ upload_token }}, never the value.
(ci.job :upload [:test]
  (fn [{: sh : jobs : secret}]
    (let [{: version} (jobs :build)]
      (sh "echo \"uploading $VERSION with token $TOKEN (${#TOKEN} characters)\""
          {:env {:VERSION version :TOKEN (secret :upload_token)}})
      {:uploaded version})))

;; Publishes only for tags: this workspace is no git checkout, so it returns nil and is skipped.
(ci.job :publish [:upload]
  (fn [{: jobs}]
    (let [push (jobs :quire/push)]
      (when push.tag
        {:published push.tag}))))
