(let [a] a)
