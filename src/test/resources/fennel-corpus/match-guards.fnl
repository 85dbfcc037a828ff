(fn classify [x]
  (match x
    0 "zero"
    (n ? (< n 0)) "negative"
    (n ? (= 0 (% n 2))) "even"
    _ "odd"))
[(classify 0) (classify -5) (classify 4) (classify 7)]
