[(string.upper "abc") (string.sub "hello" 2 4) (string.rep "ab" 3 ",") (string.rep "x" 0)
 (string.find "hello world" "wor") (string.match "key=value" "(%w+)=(%w+)")
 (string.gsub "a,b,c" "," ";") (string.len "four") (string.reverse "abc")
 (table.concat (icollect [w (string.gmatch "one two three" "%a+")] w) "|")
 (string.byte "A") (string.char 72 105)]
