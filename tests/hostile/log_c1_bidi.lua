-- What a rule prints (the -v log) with a C1 control and a bidi override, then an error with
-- them: the log and the reason reach the report cleaned; the error is the verdict.
return { evaluate = function()
  print("\u{9B}2J \u{202E}drow")
  error("stopped \u{9B}2J \u{202E}drow")
end }
