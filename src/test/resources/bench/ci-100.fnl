;; A 100-line pipeline used by the benchmarks: macros, case/match, destructuring, collections.
(local ci (require :quire.ci))
(ci.image "quire-test:debian")

(macro step [name cmd]
  `(let [r# (sh ,cmd)]
     (when (not= 0 r#.exit)
       (error (.. ,name " failed with exit " r#.exit)))
     r#))

(macro unless [c & body]
  `(when (not ,c) (do ,(table.unpack body))))

(fn trim [s]
  (let [(r _) (string.gsub (or s "") "^%s*(.-)%s*$" "%1")] r))

(fn words [s]
  (icollect [w (string.gmatch (or s "") "%S+")] w))

(fn tally [xs]
  (accumulate [acc {} _ x (ipairs xs)]
    (do (tset acc x (+ 1 (or (. acc x) 0))) acc)))

(fn kind-of [ref]
  (case ref
    (where r (string.find r "^refs/tags/")) :tag
    (where r (string.find r "^refs/heads/")) :branch
    nil :none
    _ :other))

(fn classify [n]
  (match n
    0 :zero
    (where x (< x 0)) :negative
    (where x (> x 100)) :large
    _ :small))

(local platforms [:linux :darwin :windows])
(local matrix (collect [i p (ipairs platforms)] (values p (* i 10))))
(local flags {:verbose true :jobs 4 :retries 2})
(local {: verbose :jobs parallel : retries} flags)
(local limits {:parallel parallel :timeout (* 60 (+ 1 retries))})

(ci.job :checkout [:quire/push]
  (fn [{: sh : jobs}]
    (let [push (jobs :quire/push)
          r (sh ["git" "rev-parse" "HEAD"])]
      {:sha (trim r.stdout) :kind (kind-of push.ref)})))

(ci.job :lint [:checkout]
  (fn [{: sh}]
    (let [r (step "lint" "echo lint ok")]
      {:lines (length (words r.stdout))})))

(each [_ p (ipairs platforms)]
  (ci.job (.. "build-" p) [:checkout]
    (fn [{: sh : jobs}]
      (let [{: sha} (jobs :checkout)
            weight (. matrix p)
            r (sh (string.format "echo building %s at %s weight %d" p sha weight))]
        {:platform p :ok (= 0 r.exit) :weight weight}))))

(ci.job :test [:build-linux :lint]
  (fn [{: sh : jobs}]
    (let [build (jobs :build-linux)
          counts (tally (words "a b a c b a"))
          r (sh "printf '%s\\n' 1 2 3" {:env {:CI "true"} :cwd "/work"})]
      (when build.ok
        {:counts counts :class (classify (length r.stdout)) :retries retries}))))

(ci.job :report [:test :build-darwin :build-windows]
  (fn [{: sh : jobs}]
    (let [t (jobs :test)
          names (icollect [_ p (ipairs platforms)]
                  (let [b (jobs (.. "build-" p))] (and b b.platform)))
          total (accumulate [s 0 _ p (ipairs platforms)] (+ s (. matrix p)))]
      (sh ["echo" (table.concat names ",") (tostring total)])
      {:summary (.. (length names) " platforms") :tested (not= nil t)})))

(ci.job :package [:test]
  (fn [{: sh : secret : jobs}]
    (-> (jobs :test)
        (?. :counts :a)
        (or 0)
        (#(sh ["echo" (.. "count=" $1)] {:env {:TOKEN (secret :upload_token)}})))
    nil))

(ci.job :notify [:report :package]
  (fn [{: sh : jobs}]
    (let [report (jobs :report)
          msg (if (and report report.tested) "all good" "something skipped")]
      (doto [] (table.insert msg) (table.insert (tostring verbose)))
      (sh ["echo" msg])
      (unless (= msg "all good")
        (sh ["echo" "not everything ran"]))
      {:message msg :parallel limits.parallel})))

(ci.job :docs [:checkout]
  (fn [{: sh}]
    (let [pages (fcollect [i 1 3] (.. "page-" i))
          r (sh (.. "echo " (table.concat pages " ")))]
      (if (= 0 r.exit) {:pages (length pages)} nil))))
