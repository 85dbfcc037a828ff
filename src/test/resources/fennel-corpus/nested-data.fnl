(local jobs {:build {:inputs [:quire/push] :image "debian"}
             :test {:inputs [:build] :image "alpine"}})
(local names (icollect [k _ (pairs jobs)] k))
(table.sort names)
(local inputs (icollect [_ n (ipairs names)] (. jobs n :inputs 1)))
[(table.concat names ",") (table.concat inputs ",") (. jobs :test :image)]
