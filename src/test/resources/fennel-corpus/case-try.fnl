(fn parse [s]
  (case-try (tonumber s)
    n (* n 2)
    m (+ m 1)
    (catch _ "not a number")))
(fn safe-div [a b]
  (match-try (values a b)
    (x y) (if (= y 0) (values nil "div by zero") (/ x y))
    q (math.floor q)
    (catch (nil err) err)))
[(parse "20") (parse "abc") (safe-div 9 2) (safe-div 1 0)]
