-- wrk script for bench/http.ts, kind "write, new cookie": every request carries the session cookie
-- of the last response that set one, as a browser does, instead of repeating the first cookie.
-- BENCH_COOKIE is the whole Cookie header to start from; BENCH_COOKIE_NAME the session cookie's
-- name, which must not be the first pair in it. wrk keeps one Set-Cookie per response (the last).
local cookie = os.getenv("BENCH_COOKIE")
local name = os.getenv("BENCH_COOKIE_NAME")
local function escape(text) return (text:gsub("%p", "%%%0")) end
local pair = "; " .. escape(name) .. "=[^;]*"
local prefix = "^" .. escape(name) .. "=([^;]*)"

request = function()
  return wrk.format(nil, nil, { ["Cookie"] = cookie })
end

response = function(status, headers, body)
  local line = headers["Set-Cookie"] or headers["set-cookie"]
  if line == nil then return end
  local value = line:match(prefix)
  if value ~= nil then
    local replacement = "; " .. name .. "=" .. value:gsub("%%", "%%%%")
    cookie = cookie:gsub(pair, replacement, 1)
  end
end
