(local expected 42)
(fn check [x]
  (case x
    expected "unbound-case"
    _ "other"))
(fn pinned [x]
  (match x
    expected "same"
    _ "different"))
(fn pin-case [x]
  (case x
    (where y (= y expected)) "where-match"
    _ "no"))
[(check 1) (pinned 42) (pinned 1) (pin-case 42) (pin-case 3)]
