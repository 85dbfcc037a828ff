(local x 1)
(os.execute "id")
