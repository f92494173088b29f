-- Sets _ENV = nil and then calls a global: must be a plain error, not a crash.
return { evaluate = function()
  local _ENV = nil
  return maal.pass{message = "called through a nil _ENV"}
end }
