(local odds (fcollect [i 1 10 2] i))
(local fact (faccumulate [acc 1 i 1 10] (* acc i)))
(local down (fcollect [i 5 1 -1] (.. "n" i)))
[(table.concat odds ",") fact (table.concat down ",")]
