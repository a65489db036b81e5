-- wrk script: POST a 5-byte body, as in the original Nightcore's Foo-Bar measurements.
--   wrk -t1 -c1 -d10s --latency -s runtime/examples/post.lua http://127.0.0.1:8080/function/Bar
wrk.method = "POST"
wrk.body   = "hello"
wrk.headers["Content-Type"] = "text/plain"
