(fn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(fn fact [n] (if (= n 0) 1 (* n (fact (- n 1)))))
(fn sum-to [n acc] (if (= n 0) acc (sum-to (- n 1) (+ acc n))))
[(fib 20) (fact 10) (tostring (fact 20)) (sum-to 10000 0)]
