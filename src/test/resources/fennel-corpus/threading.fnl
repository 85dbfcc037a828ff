(local r1 (-> 5 (+ 1) (* 2) (- 3)))
(local r2 (->> [1 2 3] (table.concat) (.. "s")))
(local r3 (->> 10 (- 100) (/ 2)))
(local t {:a {:b {:c 7}}})
(local r4 (-?> t (. :a) (. :b) (. :c)))
(local r5 (-?> t (. :x) (. :y)))
(local r6 (-?>> "k" (. {:k "v"})))
[r1 r2 r3 r4 (tostring r5) r6]
