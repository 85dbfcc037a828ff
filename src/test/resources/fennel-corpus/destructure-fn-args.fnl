(fn area [{: w : h}] (* w h))
(fn head-tail [[h & t]] (values h (length t)))
(fn opts [x {:scale s :offset o}] (+ (* x (or s 1)) (or o 0)))
(let [(h n) (head-tail [9 8 7 6])]
  [(area {:w 3 :h 7}) h n (opts 5 {:scale 2}) (opts 5 {:offset -1})])
