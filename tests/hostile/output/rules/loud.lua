-- loud: a rule whose own text tries to reach the terminal and the CI log raw.
-- ::stop-commands::tok
--   ::add-mask::secret
-- ##[error]forged
return {
  title = "Loud \27]52;c;aGVsbG8=\7 clipboard\n::error::forged",
  description = "\27[2J",
  params = {
    mode = {type = "string", default = "\27]0;forged title\7\n::warning::forged"},
  },
  evaluate = function(ctx, p)
    print("\u{9B}2J \u{202E}drow \27[31m")
    print("::stop-commands::tok")
    if p.mode == "log" then return maal.info{message = "printed"} end
    error("::error::forged\n::add-mask::x \u{9B}2J \u{202E}drow")
  end,
}
