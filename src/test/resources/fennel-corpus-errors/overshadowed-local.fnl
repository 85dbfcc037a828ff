(local [a b] [1 2])
(local x (accumulate [lo 1 hi (- 1) _ v (ipairs [3])] v))
