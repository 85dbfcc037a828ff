(local cases ["10" "0x10" "-0x1A" "1e3" " 42 " ".5" "5." "0x1p4" "-" "0x" "inf" "nan" "" "abc" "1e" "12abc"])
(local out (icollect [_ s (ipairs cases)] (tostring (tonumber s))))
(table.insert out (tostring (tonumber "ff" 16)))
(table.insert out (tostring (tonumber "zz" 36)))
(table.insert out (tostring (tonumber "-101" 2)))
(table.insert out (tostring (tonumber "9" 8)))
out
