(local t (doto [] (table.insert 1) (table.insert 2) (table.insert 3)))
(local s (doto {} (tset :x 1) (tset :y 2)))
[(length t) (+ s.x s.y)]
