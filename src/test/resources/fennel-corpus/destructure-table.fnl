(local {: name :age years &as whole} {:name "ada" :age 36 :lang "fennel"})
(let [{:a {:b {:c deep}}} {:a {:b {:c "found"}}}
      (p q) (values 1 2)]
  [name years whole.lang deep p q])
