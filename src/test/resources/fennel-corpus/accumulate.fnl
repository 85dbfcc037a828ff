(local total (accumulate [sum 0 _ v (ipairs [1 2 3 4 5])] (+ sum v)))
(local longest (accumulate [best "" _ w (ipairs ["a" "abc" "ab"])]
  (if (> (length w) (length best)) w best)))
(local (mn mx) (accumulate [(lo hi) (values math.huge (- math.huge)) _ v (ipairs [3 -2 8 1])]
  (values (math.min lo v) (math.max hi v))))
[total longest mn mx]
