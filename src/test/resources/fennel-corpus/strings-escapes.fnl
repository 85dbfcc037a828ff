(local s "tab:\there\nnewline \\ backslash \"quoted\"")
(local u "héllo wörld ✓")
[s (length s) u (length u) (string.byte "\t") (string.format "%q" "a\nb\"c")]
