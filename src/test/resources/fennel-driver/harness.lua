local __program = function(...)
@PROGRAM@
end
local ok, res = pcall(__program)
if not ok then return "ERROR: " .. tostring(res) end
if type(res) ~= "table" then return "RESULT: " .. tostring(res) end
local out = {}
for i = 1, #res do out[#out + 1] = i .. "\t" .. tostring(res[i]) end
return table.concat(out, "\n")
