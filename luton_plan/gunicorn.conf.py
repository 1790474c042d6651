"""gunicorn's settings for `make serve` (and for the containers in compose.yaml): production settings,
the database DATABASE_URL names, the static files WhiteNoise serves from staticfiles/.

Put TLS in front (a load balancer, or nginx/Caddy on the same machine) and set
DJANGO_ALLOWED_HOSTS; see docs/deploy.md.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("LUTON_BIND", "127.0.0.1:8000")
# Synchronous workers: every request is short (the slow ones, report packs, run as tasks).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
preload_app = True  # Django is loaded once, in the master, before the workers are forked
control_socket_disable = True  # gunicorn 27 otherwise makes a control socket in the user's home
timeout = int(os.environ.get("LUTON_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then: bounds the growth of per-process caches
max_requests_jitter = 500
accesslog = None  # core.logging.RequestLogMiddleware writes one JSON line per request
forwarded_allow_ips = os.environ.get("LUTON_TRUSTED_PROXIES", "127.0.0.1")


def when_ready(server):
    # Everything loaded so far lives as long as the process: keep the collector from touching it, so the
    # forked workers share those pages with the master instead of each copying them on first collection.
    gc.freeze()
