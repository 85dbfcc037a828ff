(local doc "line one
line two
	tabbed")
(local lines (icollect [l (string.gmatch doc "[^\n]+")] l))
[(length lines) (. lines 3) (string.format "%q" doc)]
