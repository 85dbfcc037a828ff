(local add3 (partial (fn [a b c] (+ a b c)) 1 2))
(local vals [(pick-values 2 (values 1 2 3))])
(local (a b c) (pick-values 2 (values 7 8 9)))
[(add3 3) (length vals) a b (tostring c)]
