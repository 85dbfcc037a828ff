(fn count [...] (select :# ...))
(fn second [...] (select 2 ...))
(fn sum [...]
  (var s 0)
  (for [i 1 (select :# ...)] (set s (+ s (select i ...))))
  s)
(fn pack-it [...] [...])
[(count) (count nil nil) (second :a :b :c) (sum 1 2 3 4) (length (pack-it 1 2 3))]
