-- Reference side of the differential execution test: runs every listed harness-wrapped program under lua5.2
-- and writes the text it returns.
-- usage: lua5.2 run_all.lua LIST DIR OUT_DIR      (runs DIR/<name>.run.lua, writes OUT_DIR/<name>.out)
local list, dir, outdir = ...
for name in io.lines(list) do
  local chunk, err = loadfile(dir .. "/" .. name .. ".run.lua")
  local out
  if chunk then
    local ok, res = pcall(chunk)
    out = ok and tostring(res) or ("RUN ERROR: " .. tostring(res))
  else
    out = "LOAD ERROR: " .. tostring(err)
  end
  local f = assert(io.open(outdir .. "/" .. name .. ".out", "wb"))
  f:write(out)
  f:close()
end
