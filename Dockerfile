# The image compose.yaml runs: the layout in docs/deploy.md. Not built by this repository's CI.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg gettext fonts-ipafont-gothic \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Build output: compiled message catalogs, and the static files (hashed, precompressed) that whitenoise serves.
RUN find . -name django.po -execdir msgfmt --check-format -o django.mo django.po \; \
 && DEBUG=false SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput -v0 \
 && rm -f var/kizuna.sqlite3* \
 && useradd --system --home /app kizuna && mkdir -p var/work && chown -R kizuna var
USER kizuna
ENV PYTHONUNBUFFERED=1 DEBUG=false
EXPOSE 8000
CMD ["gunicorn", "kizuna.wsgi", "--config", "python:kizuna.ops.gunicorn_conf", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "120", "--graceful-timeout", "30", "--access-logfile", "-"]
