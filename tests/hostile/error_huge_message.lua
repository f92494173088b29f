-- error() with a 2 MB message on one line: the goal's message in the report must stay bounded (like a result's 4 KiB).
return { evaluate = function() error("boom " .. ("x"):rep(2000000)) end }
