(macro build [name ...]
  (let [args [...]]
    `{:name ,(tostring name) :count ,(length args) :items [,(unpack args)]}))
(local r (build hello 1 2 3))
[r.name r.count (table.concat r.items ",")]
