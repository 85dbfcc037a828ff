[(string.format "%.0f" 0.5) (string.format "%.0f" 1.5) (string.format "%.0f" 2.5)
 (string.format "%.2f" 2.675) (string.format "%.3f" 1.0005) (string.format "%10.4f|" math.pi)
 (string.format "%e" 12345.678) (string.format "%.2E" 0.000123) (string.format "%g" 1e100)
 (string.format "%g" 0.0001) (string.format "%g" 0.00001) (string.format "%g" 123456789)
 (string.format "%.3g" 2.0) (string.format "%#.3g" 2.0) (string.format "%.10g" (/ 1 3))
 (string.format "%.20f" 0.1) (string.format "%.17g" 0.1) (string.format "%f" 1e20)
 (string.format "%-12e|" -1.5) (string.format "%012.3f" -3.14159) (string.format "%g" 100000) (string.format "%g" 1000000)]
