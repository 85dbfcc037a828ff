(local found (icollect [_ v (ipairs [1 2 3 4 5 6]) &until (> v 3)] v))
(var steps 0)
(for [i 1 100 &until (> i 4)] (set steps (+ steps 1)))
[(table.concat found ",") steps]
