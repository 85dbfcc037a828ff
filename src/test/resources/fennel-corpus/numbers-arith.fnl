[(% 7 3) (% -7 3) (/ 7 2) (^ 2 10) (math.floor -3.5) (math.ceil 3.2) (math.max 3 9 2) (math.min 3 9 2)
 (tostring math.huge) (tostring (- math.huge)) (math.abs -4) (math.fmod 7 3) (tostring (math.sqrt 2)) (math.floor (/ 10 3))]
