"""gunicorn's settings, read from the working directory by every `gunicorn` started here (the
Dockerfile, docker-compose.yml, the README's recipe); the command line adds to them."""

# A request line up to 8190 bytes (gunicorn's maximum; its default 4094 would answer an HTML
# error itself): the application refuses addresses over MAX_URL_LENGTH (4096) with its own 414,
# in the API's error shape under /api/.
limit_request_line = 8190
