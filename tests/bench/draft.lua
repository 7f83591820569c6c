-- wrk script for the draft run: POSTs one step of a survey with a draft (the form of its
-- first page, Continue), so that each request reads, opens, changes, seals and writes the
-- draft (one write transaction) and answers 303 to the next page.
-- Environment: BENCH_FORM (a file: line 1 the Cookie header, line 2 the body).
-- Prints the line of stats.lua plus acked=N (responses with status 303).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "acked.lua")

init = function(args)
  wrk.body = post_form()
end

response = function(status, headers, body)
  if status == 303 then acked = acked + 1 end
end
