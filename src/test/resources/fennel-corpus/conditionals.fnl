(fn sign [n] (if (> n 0) :pos (< n 0) :neg :zero))
(fn grade [s] (if (>= s 90) "A" (>= s 80) "B" "C"))
[(sign 5) (sign -2) (sign 0) (grade 95) (grade 85) (grade 10)
 (and true 1) (or false nil "fallback") (not nil) (when false 1)
 (tostring (and nil 1)) (= 1 1 1) (not= 1 2) (< 1 2 3) (> 3 2 2)]
