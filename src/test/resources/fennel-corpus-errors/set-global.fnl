(fn [x x] x)
(set undefined-thing 1)
