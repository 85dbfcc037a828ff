(macro with-sum [bindings & body]
  (let [s (gensym :sum)]
    `(let [,s (+ ,(unpack bindings))]
       (.. "sum:" ,s ,(unpack body)))))
(macro my-when [c & body] `(if ,c (do ,(unpack body)) nil))
[(with-sum [1 2 3] "!") (my-when true "yes") (tostring (my-when false "no"))]
