(local out [])
(each [i v (ipairs [:a :b :c])] (table.insert out (.. i v)))
(for [i 1 3] (table.insert out (tostring (* i 10))))
(for [i 10 1 -4] (table.insert out (.. "d" i)))
(var n 0)
(while (< n 5) (set n (+ n 2)))
(table.insert out (tostring n))
(each [_ k (ipairs (doto [] (table.insert "z") (table.insert "y")))] (table.insert out k))
[(table.concat out " ")]
