(macro m [] (error "boom in macro"))
(m)
