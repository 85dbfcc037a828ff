(local ci (require :quire.ci))
(ci.job :a [:b] (fn [] nil))
(ci.job :b [:a] (fn [] nil))
(ci.job :x [:quire/push :typo] (fn [] nil))
