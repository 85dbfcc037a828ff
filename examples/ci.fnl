;; Quire CI example pipeline.
;;
;;   java -jar target/quire-ci.jar validate --file examples/ci.fnl
;;
;; Every job names its inputs; a run-fn returns a table (the job's outputs, readable
;; by later jobs through `jobs`), or nil to mark the job skipped.
(local ci (require :quire.ci))

(ci.image "quire-test:debian")

(fn trim [s]
  (pick-values 1 (s:gsub "%s+$" "")))

;; What triggered the build, plus a short description of the tree.
(ci.job :describe [:quire/push]
  (fn [{: sh : jobs}]
    (let [push (jobs :quire/push)
          files (sh "ls -1 | wc -l")]
      {:sha (or push.sha "unknown")
       :branch push.branch
       :files (tonumber (trim files.stdout))})))

;; Counts to-do markers beside the build; the [D] keeps the command from matching itself.
(ci.job :lint [:quire/push]
  (fn [{: sh}]
    (let [r (sh ["sh" "-c" "grep -rn 'TO[D]O' --include='*.fnl' . | wc -l"])]
      {:todos (tonumber (trim r.stdout))})))

;; Builds a versioned artifact in the workspace and passes its name on.
(ci.job :build [:describe]
  (fn [{: sh : jobs}]
    (let [{: sha} (jobs :describe)
          version (.. "0.1.0+" (string.sub sha 1 8))
          r (sh (.. "mkdir -p dist && printf '%s\\n' '" version "' > dist/VERSION && cat dist/VERSION"))]
      (when (not= 0 r.exit)
        (error (.. "build failed: " r.stderr)))
      {:artifact "dist/VERSION" :version (trim r.stdout)})))

;; Checks the artifact from `build`; a missing file fails the job (and skips its dependents).
(ci.job :test [:build]
  (fn [{: sh : jobs}]
    (let [{: artifact : version} (jobs :build)
          r (sh ["grep" "-qx" version artifact] {:timeout 30})]
      (if (= 0 r.exit)
          {:checked artifact}
          (error (.. artifact " does not contain " version))))))

;; Publishes only for tags: on a branch push it returns nil and is skipped.
(ci.job :publish [:test :lint]
  (fn [{: sh : jobs : secret}]
    (let [push (jobs :quire/push)
          {: version} (jobs :build)]
      (when push.tag
        (sh "echo publishing $VERSION with a token of ${#TOKEN} characters"
            {:env {:VERSION version :TOKEN (secret :upload_token)}})
        {:published version}))))
