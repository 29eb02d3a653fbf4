"""``waitress-serve`` with its per-request queue warning silenced.

Under a benchmark load waitress 2.x logs "Task queue depth is N" on almost every request (a request waited for a
free thread), and writing that line costs more than the request. Nothing else differs from ``waitress-serve``.
"""

import logging
import sys

from waitress.runner import run

logging.getLogger("waitress.queue").setLevel(logging.ERROR)
sys.exit(run(sys.argv))
