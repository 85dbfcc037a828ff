; a comment
(local x ;; inline
  5)
(comment this is ignored)
(local y (do (local inner 2) (* inner x)))
(local z (let [a 1] (let [b 2] (+ a b))))
[x y z (type type) (type nil) (type {}) (type "s") (type 1)]
