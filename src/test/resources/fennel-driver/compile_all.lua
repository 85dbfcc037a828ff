-- Reference side of the differential compile test: compiles every listed Fennel file with fennel.lua under
-- lua5.2, with the options FennelCompiler uses, in a fresh Fennel instance per file (as the compile VM does).
-- usage: lua5.2 compile_all.lua LIST SRC_DIR OUT_DIR ALLOWED_GLOBALS_FILE
local list, srcdir, outdir, allowedfile = ...

local function readall(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local allowed = {}
for line in io.lines(allowedfile) do
  if line ~= "" then allowed[#allowed + 1] = line end
end
package.path = ""
package.cpath = ""

for name in io.lines(list) do
  local fennel = dofile("fennel.lua")
  fennel.path = ""
  fennel["macro-path"] = ""
  fennel.macroPath = ""
  local src = readall(srcdir .. "/" .. name)
  local opts = {filename = name, ["error-pinpoint"] = false, allowedGlobals = allowed}
  local ok, lua = pcall(fennel.compileString, src, opts)
  if ok then
    write(outdir .. "/" .. name .. ".lua", lua)
  else
    write(outdir .. "/" .. name .. ".err", tostring(lua))
  end
end
