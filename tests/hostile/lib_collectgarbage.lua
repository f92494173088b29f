-- Tries collectgarbage to steer the collector: removed.
return { evaluate = function()
  collectgarbage("stop")
  return maal.pass{message = "collector stopped"}
end }
