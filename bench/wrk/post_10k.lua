-- wrk script for the POST echo scenario: every request carries the same 10 KB body with a Content-Length.
wrk.method = "POST"
wrk.body = string.rep("x", 10240)
wrk.headers["Content-Type"] = "application/octet-stream"
