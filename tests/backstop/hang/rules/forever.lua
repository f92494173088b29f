-- forever: calls a C function that never returns; only the backstop stops it.
return {
  title = "forever",
  evaluate = function() hang.forever() return maal.pass() end,
}
