-- pid: a message whose length depends on the process that runs it (1 to 50 x's), so a check
-- started again after a stop writes a different number of bytes before the stuck goal (3 KB
-- each, so that forty of them leave the child's stdio buffer before the stop).
return {
  title = "pid",
  evaluate = function()
    local k = hang.pid() % 50 + 1
    return maal.info({message = "n=" .. k .. " " .. string.rep("x", k) .. " " .. string.rep("y", 3000)})
  end,
}
