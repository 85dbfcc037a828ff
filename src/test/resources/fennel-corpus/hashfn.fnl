(local add #(+ $1 $2))
(local first #$)
(local all #[$...])
(local nested (icollect [_ v (ipairs [1 2 3])] (#(* $ 10) v)))
[(add 2 3) (first :x) (length (all 1 2 3)) (table.concat nested ",")]
