(local squares (icollect [_ v (ipairs [1 2 3 4])] (* v v)))
(local evens (icollect [_ v (ipairs [1 2 3 4 5 6])] (when (= 0 (% v 2)) v)))
(local by-name (collect [_ p (ipairs [{:n "a" :v 1} {:n "b" :v 2}])] (values p.n p.v)))
[(table.concat squares " ") (table.concat evens " ") by-name.a by-name.b]
