(fn describe [v]
  (case v
    {:kind :circle : r} (string.format "circle %.2f" (* math.pi r r))
    {:kind :rect : w : h} (string.format "rect %d" (* w h))
    [a b c] (.. "triple " a b c)
    [a b] (.. "pair " a b)
    nil "nothing"
    _ "unknown"))
[(describe {:kind :circle :r 2}) (describe {:kind :rect :w 3 :h 4}) (describe [1 2 3]) (describe [1 2]) (describe nil) (describe 5)]
