"""Gunicorn for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`
(docs/operations.md). Every value comes from the environment."""

import multiprocessing
import os

bind = os.environ.get("SADOK_BIND", "127.0.0.1:8000")
# Sadok's requests wait mostly on PostgreSQL: a few processes a core, each threaded.
workers = int(os.environ.get("SADOK_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("SADOK_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("SADOK_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a process now and then, so that no leak grows for weeks.
max_requests = 5000
max_requests_jitter = 500
# Behind the load balancer: it terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("SADOK_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("SADOK_ACCESS_LOG", "-") or None  # "": none
# The path without the query string: a query may carry what a person typed.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
