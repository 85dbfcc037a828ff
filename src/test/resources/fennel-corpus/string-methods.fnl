(local s "Hello, World")
[(s:lower) (s:len) (s:sub -5) (s:find ",") (s:rep 2 "|") (s:byte 1) (: s :gsub "o" "0")
 (: "%5.2f" :format 3.14159) (: "x" :rep 3)]
