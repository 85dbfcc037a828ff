(local registry [])
(local ci {:job (fn [id inputs run-fn] (table.insert registry {: id : inputs : run-fn}))
           :image (fn [name] (set registry.image name))})
(ci.image "debian:bookworm")
(ci.job :test [:quire/push]
  (fn [{: sh : jobs}]
    (let [r (sh "make test")]
      (when (= 0 r.exit) {:tested true}))))
(ci.job :package [:test]
  (fn [{: sh}] (sh ["make" "dist"] {:env {:TOKEN "x"}})))
(local fake {:sh (fn [cmd] {:exit 0 :cmd cmd}) :jobs (fn [] nil)})
(local result ((. registry 1 :run-fn) fake))
[registry.image (length registry) (. registry 2 :id) (. registry 2 :inputs 1) (tostring result.tested)
 (. ((. registry 2 :run-fn) fake) :cmd 2)]
