(local vals [-1 -0.5 1e100 3.141592653589793 (/ 1 3) 1.5e-7 2e53 (^ 2 63) 255 0xff 1e15 123456789012 -7.25])
(icollect [_ v (ipairs vals)] (tostring v))
