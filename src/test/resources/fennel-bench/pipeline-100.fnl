;; A ~100-line pipeline for the compile benchmark: macros, case/match, destructuring, collections.
(local ci (require :quire.ci))
(ci.image "debian:bookworm")

(macro run! [label cmd]
  `(let [res# (sh ,cmd)]
     (if (= 0 res#.exit)
         res#
         (error (.. ,label ": exit " res#.exit)))))

(macro with-env [env & body]
  `(let [env# ,env] (do ,(unpack body))))

(fn split [s sep]
  (icollect [part (string.gmatch (or s "") (.. "[^" sep "]+"))] part))

(fn join [xs sep] (table.concat xs sep))

(fn branch-of [ref]
  (match ref
    (where r (string.find r "^refs/heads/")) (string.sub r 12)
    (where r (string.find r "^refs/tags/")) nil
    _ nil))

(fn version-of [tag]
  (case (and tag (string.match tag "^v(%d+)%.(%d+)%.(%d+)$"))
    (major minor patch) {:major (tonumber major) :minor (tonumber minor) :patch (tonumber patch)}
    _ nil))

(fn count-by [xs key]
  (accumulate [acc {} _ x (ipairs xs)]
    (do (tset acc (. x key) (+ 1 (or (. acc (. x key)) 0))) acc)))

(local targets [{:os :linux :arch :amd64} {:os :linux :arch :arm64} {:os :darwin :arch :arm64}])
(local names (icollect [_ {: os : arch} (ipairs targets)] (.. os "-" arch)))
(local by-os (count-by targets :os))
(local settings {:retries 3 :timeout 600 :flags ["-v" "-race"]})

(ci.job :lint [:quire/push]
  (fn [{: sh}]
    (run! "lint" "make lint")
    {:linted true}))

(ci.job :test [:quire/push]
  (fn [{: sh : jobs}]
    (let [push (jobs :quire/push)
          {: retries : flags} settings]
      (var attempt 0)
      (var result nil)
      (while (and (< attempt retries) (not result))
        (set attempt (+ attempt 1))
        (let [r (sh ["go" "test" (unpack flags)])]
          (when (= 0 r.exit) (set result r))))
      (when result
        {:sha push.sha :attempts attempt :branch (branch-of push.ref)}))))

(ci.job :build [:lint :test]
  (fn [{: sh : jobs}]
    (let [outputs (collect [_ name (ipairs names)]
                    (values name (. (run! name ["make" (.. "dist/" name)]) :stdout)))]
      (with-env {:CGO_ENABLED "0"}
        {:artifacts outputs :count (length names)}))))

(ci.job :package [:build]
  (fn [{: sh : jobs : secret}]
    (let [build (jobs :build)
          push (jobs :quire/push)
          version (version-of push.tag)]
      (when (and build version)
        (each [name _ (pairs build.artifacts)]
          (sh ["tar" "czf" (.. name ".tgz") name] {:cwd "dist"}))
        (sh "make upload" {:env {:TOKEN (secret :upload_token)}})
        {:version (string.format "%d.%d.%d" version.major version.minor version.patch)}))))

(ci.job :report [:package]
  (fn [{: jobs}]
    (let [pkg (jobs :package)
          lines (fcollect [i 1 3] (string.format "%-8s %5.1f%%" (.. "step" i) (* i 33.3)))]
      (-> {:summary (join lines "\n")}
          (doto (tset :linux (. by-os :linux)))
          (doto (tset :version (?. pkg :version)))))))

(ci.job :notify [:report]
  (fn [{: sh : jobs}]
    (let [r (jobs :report)
          msg (-?> r (. :summary) (string.upper))]
      (when msg
        (sh ["echo" msg])
        {:notified true :words (length (split msg " "))}))))

(ci.job :cleanup [:quire/push]
  (fn [{: sh}]
    (let [dirs ["dist" "tmp" "cache"]]
      (each [i d (ipairs dirs)]
        (sh ["rm" "-rf" d]))
      (faccumulate [n 0 i 1 (length dirs)] (+ n i)))))
