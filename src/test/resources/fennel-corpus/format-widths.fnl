[(string.format "[%5d]" 42) (string.format "[%-5d]" 42) (string.format "[%05d]" -42)
 (string.format "[%+d]" 7) (string.format "[% d]" 7) (string.format "[%x|%X|%#x|%o]" 255 255 255 8)
 (string.format "[%5s|%-5s|%.2s]" "ab" "ab" "abcdef") (string.format "%c%c" 72 73)
 (string.format "%d" 1.7e12) (string.format "%d" (^ 2 40)) (string.format "%5.1f%%" 99.44)
 (string.format "%s|%s|%s" 1 2.5 true) (string.format "%q" "line\nnext")]
