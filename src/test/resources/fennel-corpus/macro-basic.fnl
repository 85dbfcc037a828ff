(macro twice [x] `(do ,x ,x))
(macro unless [c ...] `(if (not ,c) (do ,...)))
(var n 0)
(twice (set n (+ n 1)))
(local out [])
(unless (= n 3) (table.insert out (.. "n=" n)))
[(. out 1) n]
