# syntax=docker/dockerfile:1
# Production image of the mobility portal: gunicorn serves the site (static files through
# WhiteNoise); the same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The settings find templates/, static/ and locale/ next to the source tree
    # (BASE_DIR), so the code is imported from /app rather than from site-packages.
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=mobility.settings.production

# WeasyPrint (acceptance letters) needs Pango and HarfBuzz; DejaVu covers Turkish
# letters (ç ğ ı İ ö ş ü) in the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

COPY . .
RUN pip install -c constraints.txt . \
    && rm -rf build ./*.egg-info

# Translations and static files are built into the image. The production settings refuse
# to load without SECRET_KEY and ALLOWED_HOSTS: this throw-away key exists only inside this
# RUN step (it is not in the image's environment) and is never used to sign anything.
RUN export SECRET_KEY="build-time-only-placeholder-key-not-used-at-runtime-0123456789" \
        ALLOWED_HOSTS="localhost" \
        DJANGO_SETTINGS_MODULE=mobility.settings.production \
    && python manage.py compile_translations \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/private /app/var/beat \
    && chown -R app:app /app/var/media /app/var/private /app/var/beat

USER app

EXPOSE 8000

CMD ["gunicorn", "mobility.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
