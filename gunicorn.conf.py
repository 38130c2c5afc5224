"""gunicorn's settings, read from the working directory by every `gunicorn` started here (the
Dockerfile, docker-compose.yml, the README's recipe); the command line adds to them."""

# A request line up to 8190 bytes (gunicorn's maximum; its default 4094 would answer an HTML
# error itself): the application refuses addresses over MAX_URL_LENGTH (4096) with its own 414,
# in the API's error shape under /api/.
limit_request_line = 8190

# The application is imported once, by the master, before it forks the workers: they share its
# code and imported modules copy-on-write (a worker's RSS after the storefront's load: about
# 165-172 MB instead of 186-190 MB, bench/README.md) and start at once. Nothing opens a
# database connection at import; `post_fork` closes any the master opened anyway, so no two
# workers share a socket (redis-py makes its connection pools afresh in a forked process).
preload_app = True


def post_fork(server, worker):
    from django.db import connections

    connections.close_all()
