# topicbot: slim image, non-root user, data on a volume, token from the environment.
#   docker build -t topicbot .
#   docker run -e TOPICBOT_TELEGRAM_TOKEN=... -v topicbot-data:/data topicbot
#   (your own config: add -v "$PWD/config.yaml:/app/config.yaml:ro", see README)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TOPICBOT_CONFIG=/app/config.yaml

RUN groupadd --system topicbot && useradd --system --gid topicbot --home-dir /app topicbot

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY classifiers ./classifiers
RUN pip install --no-cache-dir .

COPY config.yaml ./config.yaml
# The image's own config: database and model on the volume, outside the image; the ops
# endpoint on for the HEALTHCHECK; no text folder (examples/ is for trying topicbot locally,
# a server has no use for polling it). Mount your own config over /app/config.yaml (README).
RUN sed -i -e 's#path: data/topicbot.sqlite3#path: /data/topicbot.sqlite3#' \
        -e 's#model_path: data/model.skops#model_path: /data/model.skops#' \
        -e 's#^  enabled: false#  enabled: true#' \
        -e '/^folders:/,/^$/c folders: []\n' config.yaml \
    && mkdir -p /data && chown topicbot:topicbot /data
VOLUME ["/data"]

USER topicbot
# /healthz (ops endpoint, loopback inside the container): database, recent polls, sender.
HEALTHCHECK --interval=60s --timeout=10s --start-period=2m --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:9464/healthz', timeout=5).status == 200 else 1)"]
# The token is read from $TOPICBOT_TELEGRAM_TOKEN at run time; never bake it into the image.
ENTRYPOINT ["topicbot"]
CMD ["run"]
