-- csv: the results as CSV (RFC 4180), one line per goal of every partnership checked:
--   maal check FILE... --format csv/csv -o results.csv
-- Columns: partnership,goal,title,verdict,year,actual,target,baseline,baseline_year,change,
--   unit,message,waived_verdict,waiver (the last two only for a waived goal: the verdict the
--   waiver replaced, and its reason, who agreed and until when). Lines end in CRLF; a field that holds a comma, a double quote, CR or LF is
--   quoted, with its quotes doubled. Numbers use '.' for decimals and no thousands separator,
--   whole numbers without decimals, others with up to 15 significant digits (as in the JSON
--   result); a value that does not apply (null) is an empty field. 'message' is in the
--   report's language (--lang); the header is fixed. A text field that starts with =, +, -, @,
--   a tab or CR starts with an apostrophe in the file, so a spreadsheet shows it as text and
--   never runs it as a formula.
local COLUMNS = {"partnership", "goal", "title", "verdict", "year", "actual", "target",
                 "baseline", "baseline_year", "change", "unit", "message", "waived_verdict",
                 "waiver"}

local function number(x)
  if x ~= x or x == math.huge or x == -math.huge then return "" end -- never in valid results
  if math.type(x) == "integer" then return string.format("%d", x) end
  if x == 0 then return "0" end -- also -0.0
  if x == math.floor(x) and math.abs(x) < 2^53 then return string.format("%.0f", x) end
  local s = string.format("%.15g", x)
  if not s:find("e", 1, true) then return s end
  -- no exponent: plain decimals, up to 15 significant digits, trailing zeros dropped
  local digits = 15 - (math.floor(math.log(math.abs(x), 10)) + 1)
  if digits < 0 then digits = 0 end
  if digits > 99 then
    -- string.format takes at most 99 decimals: 1e-100 is written out from its digits
    local sign, d1, ds, e = s:match("^(-?)(%d)%.?(%d*)e%-(%d+)$")
    return sign .. "0." .. string.rep("0", tonumber(e) - 1) .. (d1 .. ds):gsub("0+$", "")
  end
  s = string.format("%." .. digits .. "f", x)
  if s:find(".", 1, true) then s = s:gsub("0+$", ""):gsub("%.$", "") end
  return s
end

local function field(v)
  if v == nil then return "" end
  if type(v) == "number" then return number(v) end
  if type(v) == "boolean" then return v and "true" or "false" end
  local s = tostring(v)
  -- a text a spreadsheet would read as a formula (=, +, -, @, or a tab or CR before one) gets
  -- a leading apostrophe, as spreadsheets expect (OWASP, "CSV injection")
  local c = s:sub(1, 1)
  if c == "=" or c == "+" or c == "-" or c == "@" or c == "\t" or c == "\r" then s = "'" .. s end
  if s:find('[,"\r\n]') then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

return {
  report = function(run, out)
    out:write(table.concat(COLUMNS, ","), "\r\n")
    for _, p in ipairs(run.partnerships or {}) do
      for _, r in ipairs(p.results or {}) do
        local row = {
          field(p.id), field(r.goal), field(r.title), field(r.verdict), field(r.year),
          field(r.actual), field(r.target), field(r.baseline), field(r.baseline_year),
          field(r.change), field(r.unit), field(r.message),
        }
        local w = r.verdict == "waived" and r.waiver or nil
        row[#row + 1] = field(w and w.verdict_without)
        row[#row + 1] = field(w and w.text)
        out:write(table.concat(row, ","), "\r\n")
      end
    end
  end,
}
