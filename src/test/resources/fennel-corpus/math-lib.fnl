[(math.floor 3.7) (math.floor -3.2) (math.max 1 2.5) (math.min -1 -2)
 (= math.huge (/ 1 0)) (tostring math.pi) (math.abs -0.25) (math.fmod -7 3) (math.modf 3.75)
 (tostring (math.exp 1)) (tostring (math.log 100 10)) (math.floor (math.log 8 2)) (string.format "%.4f" (math.sin 1))]
