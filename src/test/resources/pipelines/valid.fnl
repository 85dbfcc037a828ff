(local {: job : image} (require :quire.ci))
(image "alpine:3.20")

(job :test [:build :quire/push] (fn [{: sh}] (sh "make test") {}))
(job :build [:quire/push] (fn [{: sh}] (sh ["make"]) {}))
(job :docs [:quire/push] (fn [] nil))
