(macros {:inc (fn [x] `(+ ,x 1))
         :swap! (fn [a b] `(let [tmp# ,a] (set ,a ,b) (set ,b tmp#)))})
(var a 1)
(var b 2)
(swap! a b)
[(inc 41) a b]
