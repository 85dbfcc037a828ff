(eval-compiler (set _G.__my_answer 42))
(macro answer [] (or _G.__my_answer 0))
(macro upper-sym [s] (string.upper (tostring s)))
[(answer) (upper-sym abc)]
