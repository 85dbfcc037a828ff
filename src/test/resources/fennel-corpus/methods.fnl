(local Counter {})
(set Counter.__index Counter)
(fn Counter.new [start] (setmetatable {:n start} Counter))
(fn Counter.inc [self by] (set self.n (+ self.n (or by 1))) self)
(fn Counter.get [self] self.n)
(local c (Counter.new 10))
(: c :inc)
(c:inc 5)
[(c:get) (: "hello" :upper) (: "%d-%d" :format 1 2) (: (c:inc) :get)]
