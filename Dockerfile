# The portal's image: one for the web servers, the one-off jobs and the timers (compose.yaml).
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint's libraries (report packs) and the PostgreSQL client (backups).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/luton-plan
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY . .
# Static files are collected into the image: WhiteNoise serves them from every web server alike.
RUN DJANGO_SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz python manage.py collectstatic --no-input -v0
RUN useradd --system --home-dir /srv/luton-plan luton && chown -R luton /srv/luton-plan
USER luton
ENV LUTON_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "--config", "luton_plan/gunicorn.conf.py", "luton_plan.wsgi"]
