-- colons: plain text (no control character) that would be a GitHub workflow command at the
-- start of a line: the messages are valid, so every format must place them where no line
-- starts with them.
return {
  title = "::stop-commands::title",
  evaluate = function(ctx, p)
    if p and p.mode == "bare" then error("::error::bare error", 0) end
    return maal.fail{message = "::stop-commands::tok"}
  end,
  params = {mode = {type = "string"}},
}
