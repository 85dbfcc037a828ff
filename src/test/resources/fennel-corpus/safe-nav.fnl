(local cfg {:db {:host "localhost" :ports [5432 5433]}})
[(?. cfg :db :host) (tostring (?. cfg :cache :host)) (?. cfg :db :ports 2) (tostring (?. nil :x))]
