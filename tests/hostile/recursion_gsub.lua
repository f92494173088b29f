-- Recursion through C: a string.gsub callback that calls gsub again, without end.
return { evaluate = function()
  local function f(c) return (("x" .. c):gsub(".", f)) end
  return maal.pass{message = f("a")}
end }
