# invoicebot: `docker run -e TELEGRAM_BOT_TOKEN=… -v invoicebot-data:/data invoicebot`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    INVOICEBOT_DATA_DIR=/data \
    INVOICEBOT_HOST=0.0.0.0 \
    PORT=8080

WORKDIR /app
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY bot ./bot
COPY core ./core
COPY adapters ./adapters
COPY migrations ./migrations
RUN pip install '.[postgres,charts]' \
    && useradd --create-home --uid 10001 invoicebot \
    && mkdir -p /data \
    && chown invoicebot:invoicebot /data \
    && chmod 0700 /data

USER invoicebot
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["invoicebot"]
CMD ["run"]
