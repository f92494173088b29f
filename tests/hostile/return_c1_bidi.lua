-- A message with a C1 control (U+009B, a CSI on some terminals) and a right-to-left override
-- (U+202E): control characters like ESC, refused as such.
return { evaluate = function()
  return maal.pass{message = "ok \u{9B}2J \u{202E}deliaf"}
end }
