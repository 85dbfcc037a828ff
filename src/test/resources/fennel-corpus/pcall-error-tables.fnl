(fn risky [n]
  (if (< n 0) (error {:code 42 :msg "negative"}) (* n 2)))
(local (ok1 v1) (pcall risky 5))
(local (ok2 e2) (pcall risky -1))
(local (ok3 e3) (pcall error "plain" 0))
(local (ok4 e4) (xpcall #(error {:code 7}) (fn [e] (.. "handled:" e.code))))
[ok1 v1 ok2 e2.code e2.msg ok3 e3 ok4 e4]
