(local greet (lambda [name ?greeting] (.. (or ?greeting "hi") " " name)))
(local sq (λ [x] (* x x)))
(local (ok err) (pcall greet nil))
[(greet "bob") (greet "amy" "hello") (sq 9) ok (not (not (string.find err "Missing argument name")))]
