-- evaluate returns a message with terminal escapes that erase its own line and forge a passing one in text output.
return { evaluate = function()
  return maal.fail{message = "x\n\27[2K\r  \u{2713} opfyldt      hostile\27]0;forged title\7"}
end }
