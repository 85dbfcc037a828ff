(local r (->> [1 2 3] (icollect [_ x (ipairs $)] x) length))
