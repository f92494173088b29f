-- evaluate returns year = 1e300 and baseline_year = 2020.5.
return { evaluate = function() return maal.pass{year = 1e300, baseline_year = 2020.5, message = "odd years"} end }
