(local t [5 2 8 1 9 3])
(table.sort t)
(local desc [5 2 8 1 9 3])
(table.sort desc (fn [a b] (> a b)))
(local words ["pear" "apple" "fig"])
(table.sort words)
(local ins [1 2 3])
(table.insert ins 1 0)
(table.insert ins 99)
(local removed (table.remove ins 2))
[(table.concat t ",") (table.concat desc ",") (table.concat words " ") (table.concat ins ",") removed
 (table.concat [1 2 3] "-" 2 3) (select :# (unpack [1 2 3]))]
