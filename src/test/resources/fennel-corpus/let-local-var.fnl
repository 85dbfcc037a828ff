(local x 1)
(var y 2)
(set y (+ y x))
(let [x 10 z (* x 2)]
  (set y (+ y z)))
(local t {})
(tset t :k "v")
(tset t 1 "one")
(set t.nested {})
(tset t.nested :deep true)
[x y t.k (. t 1) t.nested.deep]
