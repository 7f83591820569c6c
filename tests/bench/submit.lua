-- wrk script for the submission run: POSTs the final submit of a survey, each request with
-- a nonce no other request in any run uses, so every one is a new response, not a duplicate.
-- Environment: BENCH_FORM (a file: line 1 the Cookie header, line 2 the body with @NONCE@),
-- BENCH_SALT (8 hex digits, different for each run against one database).
-- Prints the line of stats.lua plus acked=N (responses with status 303 to the confirmation).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "acked.lua")

init = function(args)
  local body = post_form()
  local at = assert(body:find("@NONCE@", 1, true))
  head, tail = body:sub(1, at - 1), body:sub(at + 7)
  salt = os.getenv("BENCH_SALT") or "00000000"
  counter = 0
end

request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil,
    head .. string.format("%s%08x%016x", salt, tid, counter) .. tail)
end

-- Only the confirmation counts: a 303 back to a page of the survey (a form the app found
-- wrong, sent back to be corrected) stores nothing.
response = function(status, headers, body)
  local loc = headers["Location"] or headers["location"] or ""
  if status == 303 and loc:find("/done", 1, true) then acked = acked + 1 end
end
