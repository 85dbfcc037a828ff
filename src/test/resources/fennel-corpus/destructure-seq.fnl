(local [a b & rest] [1 2 3 4 5])
(let [[x [y z]] [10 [20 30]]]
  [a b (length rest) (. rest 3) x y z])
