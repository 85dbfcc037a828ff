(fn mv [] (values 1 2 3))
(local (a b c) (mv))
(local t [(mv)])
(local u [(mv) 10])
(fn swap [x y] (values y x))
(let [(p q) (swap :l :r)]
  [a b c (length t) (length u) p q (select :# (mv))])
