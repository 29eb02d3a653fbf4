"""A prompt client: COUNT sequential GET / requests, each on a fresh connection; prints p50, p99 and max.

usage: latency.py PORT COUNT
"""
import http.client, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
lat = []; errors = 0
for i in range(count):
    t = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); c.request("GET", "/"); r = c.getresponse(); r.read(); c.close()
        if r.status != 200: errors += 1
    except Exception: errors += 1
    lat.append((time.monotonic() - t) * 1000)
lat.sort()
print("p50=%.2fms p99=%.2fms max=%.2fms errors=%d" % (lat[len(lat)//2], lat[int(len(lat)*0.99)-1], lat[-1], errors))
