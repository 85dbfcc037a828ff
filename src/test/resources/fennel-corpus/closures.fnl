(fn make-counter []
  (var c 0)
  (fn [] (set c (+ c 1)) c))
(local c1 (make-counter))
(local c2 (make-counter))
(c1) (c1)
(fn compose [f g] (fn [...] (f (g ...))))
(local inc-then-double (compose #(* $ 2) #(+ $ 1)))
[(c1) (c2) (inc-then-double 4)]
