-- A long subject and a number as the pattern of string.gsub: the pattern is the number's text.
return { evaluate = function()
  local s = ("1"):rep(30000)
  string.gsub(s, 1111111111111111111, "")
  string.match(s, 1e300)
  return maal.pass{message = "returned"}
end }
