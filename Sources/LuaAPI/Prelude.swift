/// Lua code every session starts with: the pretty-printer the REPL and `-e` print through.
/// Written in Lua because it walks Lua values; it runs protected, so a bad `__tostring` cannot
/// take the session down.
enum Prelude {
    static let source = #"""
local type, tostring, pairs, rawget, getmetatable, format = type, tostring, pairs, rawget, getmetatable, string.format
local concat, sort = table.concat, table.sort

local MAX_ITEMS = 40     -- long arrays are cut with a count
local MAX_DEPTH = 6
local LINE = 72          -- a table that fits on one line is shown on one line

local function scalar(v)
  local t = type(v)
  if t == "string" then return format("%q", v):gsub("\\\n", "\\n") end
  if t == "number" and math.type(v) == "float" and v == math.floor(v) and v > -1e15 and v < 1e15 then
    return format("%.1f", v)
  end
  if t == "table" or t == "userdata" then
    local mt = getmetatable(v)
    if type(mt) == "table" and rawget(mt, "__tostring") then
      local ok, s = pcall(tostring, v)
      return ok and tostring(s) or "<__tostring failed: " .. tostring(s) .. ">"
    end
  end
  return tostring(v)
end

local function keyrepr(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  return "[" .. scalar(k) .. "]"
end

local function keyorder(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function walk(v, indent, seen, depth)
  if type(v) ~= "table" then return scalar(v) end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__tostring") then return scalar(v) end
  if seen[v] then return "<cycle: " .. tostring(v) .. ">" end
  if depth >= MAX_DEPTH then return "{...}" end
  seen[v] = true
  local items, n = {}, #v
  local shown = math.min(n, MAX_ITEMS)
  for i = 1, shown do items[#items + 1] = walk(v[i], indent .. "  ", seen, depth + 1) end
  if n > shown then items[#items + 1] = format("... (%d more, %d in all)", n - shown, n) end
  local keys = {}
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  sort(keys, keyorder)
  for _, k in ipairs(keys) do
    items[#items + 1] = keyrepr(k) .. " = " .. walk(v[k], indent .. "  ", seen, depth + 1)
  end
  seen[v] = nil
  if #items == 0 then return "{}" end
  local flat = "{ " .. concat(items, ", ") .. " }"
  if #flat + #indent <= LINE and not flat:find("\n") then return flat end
  return "{\n" .. indent .. "  " .. concat(items, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
end

--- pretty(value) -> string: how the REPL shows a value.
function pretty(v) return walk(v, "", {}, 0) end
"""#
}
