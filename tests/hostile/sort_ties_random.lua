-- table.sort picks a random pivot (from clock() and time()) once a part of 128 or more
-- elements splits badly, so elements that compare equal came out in another order on every
-- run (and between --jobs 1 and 2). From 128 elements on, ties are broken by place: the
-- result is the stable order, the same every time.
return { evaluate = function()
  local gens = {
    function(i, n) return i > n - 5 and 0 or 1 end,
    function(i, n) return i <= n // 2 and i or n - i end,
  }
  local out = {}
  for _, gen in ipairs(gens) do
    local t, n, buckets, keys = {}, 5000, {}, {}
    for i = 1, n do
      local k = gen(i, n)
      t[i] = {k = k, id = i}
      if not buckets[k] then buckets[k] = {}; keys[#keys + 1] = k end
      local b = buckets[k]
      b[#b + 1] = i
    end
    table.sort(t, function(a, b) return a.k < b.k end)
    table.sort(keys)
    local p, same = 0, true
    for _, k in ipairs(keys) do
      for _, id in ipairs(buckets[k]) do p = p + 1; same = same and t[p].id == id end
    end
    out[#out + 1] = tostring(same)
  end
  error("stable order: " .. table.concat(out, ","))
end }
