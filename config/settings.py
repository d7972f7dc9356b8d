"""Mostaql's one settings module: every knob comes from the environment.

Development needs nothing set. Production (DEBUG off) refuses to start without a SECRET_KEY.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=False) needs a long random SECRET_KEY "
            "in the environment."
        )
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django_htmx",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",  # only for the offline Swagger UI files and template of the API docs
    "mostaql.core",
    "mostaql.catalog",
    "mostaql.accounts",
    "mostaql.projects",
    "mostaql.contracts",
    "mostaql.wallet",
    "mostaql.messaging",
    "mostaql.notifications",
    "mostaql.reports",
    "mostaql.reviews",
    "mostaql.gigs",  # the services market (خدمات): between reports (above) and reviews (below)
    "mostaql.api",
    # Below mostaql.web, above every other app (pyproject.toml, "layers"): seo reads the guides for the
    # sitemap, help renders its answers with the guides' Markdown; no app below imports these.
    "mostaql.guides",
    "mostaql.help",
    "mostaql.seo",
    "mostaql.dashboard",
    "mostaql.demo",  # on top of every app: the seed_demo command, which drives them all
    "mostaql.benchmarks",  # on top too: the bench and bench_ledger commands
]


MIDDLEWARE = [
    # First: a body over REQUEST_MAX_BODY_BYTES (or a body of unknown length) is refused unread.
    "mostaql.core.middleware.RequestBodyLimitMiddleware",
    # Then: NUL and other control characters in the address or a form are refused with a 400.
    "mostaql.core.middleware.ControlCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mostaql.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a TOTP app are sent to set one up before /staff/, /admin/ and API tokens.
    "mostaql.accounts.middleware.StaffTwoFactorMiddleware",
    # /api/ only: language from Accept-Language, body size limit, rate limits per token, user or IP.
    "mostaql.api.middleware.ApiMiddleware",
    "mostaql.core.middleware.ContentSecurityPolicyMiddleware",
    # Pages that search engines must not index (staff, wallet, messages, settings…) say so.
    "mostaql.seo.middleware.RobotsMiddleware",
]

if not DEBUG:
    # In production the app serves its own collected, compressed static files (no CDN, no nginx needed).
    MIDDLEWARE.insert(3, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mostaql.notifications.context_processors.unread_notifications",
                "mostaql.core.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "mostaql.core.templatetags.mostaql"],
        },
    },
]
FORM_RENDERER = "mostaql.core.forms.FormRenderer"

# --- Database: SQLite (WAL) with zero set-up; PostgreSQL through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    INSTALLED_APPS.append("django.contrib.postgres")  # full-text search and trigram lookups
    # Trigram matching finds nothing in Arabic under LC_CTYPE "C": test databases are made UTF-8.
    DATABASES["default"].setdefault("TEST", {}).update({"TEMPLATE": "template0", "CHARSET": "UTF8"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory by default; Redis (Django's RedisCache) through CACHE_URL.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://mostaql"),
    # Rendered pieces of pages (list results, filter menus, offer cards), apart, so that many of them
    # never push sessions or rate-limit counters out of the default cache. Their keys carry versions
    # kept in the default cache, or what they show: a copy in each process is right, and a restart
    # (a new release) empties it.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "mostaql-fragments",
        "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENT_CACHE_ENTRIES", default=2000)},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory verification is what lets sign-up answer the same way for a new and a known e-mail.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"signup": "mostaql.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "mostaql.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[مستقل] "
# "login_failed" per key: the adapter makes the key the e-mail *and* the client's IP address, so five
# wrong passwords lock that account from that address only (mostaql.accounts.adapters).
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Money-sensitive acts need a sign-in or a re-authentication (password or TOTP) this recent.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_TIMEOUT_SECONDS", default=300)
# Every staff account (moderators, finance) signs in with a TOTP app before doing staff work.
STAFF_TWO_FACTOR_REQUIRED = env.bool("STAFF_TWO_FACTOR_REQUIRED", default=True)
# Behind a reverse proxy (nginx in deploy/), the client's address is the last one it appends to
# X-Forwarded-For: set TRUSTED_PROXY_COUNT=1 there, so rate limits count people, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_TOTP_ISSUER = "Mostaql"

# --- E-mail: the console by default; SMTP (or any backend) through EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A dead mail server must not hold a request (or an in-process task) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mostaql <no-reply@mostaql.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the site, for links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Background work: in-process unless a broker is configured (Redis in production).
# kombu's in-memory transport names "no broker" (an empty URL makes kombu warn on every task).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "UTC"
# How often beat runs the sweeps (every sweep is idempotent; the stack's CI stage makes it short).
SWEEP_INTERVAL_SECONDS = env.int("SWEEP_INTERVAL_SECONDS", default=15 * 60)
CELERY_BEAT_SCHEDULE = {
    "contracts-sweep": {
        "task": "mostaql.contracts.tasks.sweep_contracts",
        "schedule": SWEEP_INTERVAL_SECONDS,
    },
    "wallet-sweep": {"task": "mostaql.wallet.tasks.sweep_wallet", "schedule": SWEEP_INTERVAL_SECONDS},
    "reviews-publish": {
        "task": "mostaql.reviews.tasks.publish_due_reviews",
        "schedule": SWEEP_INTERVAL_SECONDS,
    },
    "api-idempotency-sweep": {"task": "mostaql.api.tasks.sweep_idempotency_keys", "schedule": 60 * 60},
}

# --- Language: Arabic first, English second; the choice lives in a cookie, not in the path.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Files
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: limits for the one upload helper in mostaql.core.uploads.
UPLOAD_MAX_IMAGE_BYTES = env.int("UPLOAD_MAX_IMAGE_BYTES", default=5 * 1024 * 1024)
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_IMAGE_SIDE = env.int("UPLOAD_MAX_IMAGE_SIDE", default=8000)
UPLOAD_IMAGE_MAX_STORED_SIDE = env.int("UPLOAD_IMAGE_MAX_STORED_SIDE", default=1600)
UPLOAD_THUMBNAIL_SIDE = env.int("UPLOAD_THUMBNAIL_SIDE", default=400)
# Decoding costs about 4 bytes a pixel whatever the file's size: pictures with more pixels are refused
# from their header (25 megapixels ≈ 100 MB while decoding; a 24-megapixel camera's photos fit).
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=25_000_000)
# Deliverables and message attachments are kept byte for byte; each kind has its own size limit,
# each overridable as UPLOAD_MAX_<KIND>_BYTES. None may exceed REQUEST_MAX_BODY_BYTES (below), which
# refuses any larger request on every path: raise both (and nginx's client_max_body_size) together.
_MB = 1024 * 1024
UPLOAD_MAX_DELIVERABLE_BYTES = {
    kind: env.int(f"UPLOAD_MAX_{kind.upper()}_BYTES", default=default)
    for kind, default in {
        "image": 25 * _MB,
        "svg": 5 * _MB,
        "pdf": 50 * _MB,
        "video": 50 * _MB,
        "audio": 50 * _MB,
        "subtitles": 2 * _MB,
        "design": 50 * _MB,
        "font": 20 * _MB,
        "text": 5 * _MB,
        "office": 50 * _MB,
        "zip": 50 * _MB,
    }.items()
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest request body on any path, refused before it is read (each upload's own limits still
# apply inside it). Keep nginx's client_max_body_size (deploy/) the same.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Attachments of projects and offers are private: served only through views that check permission.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES["private"] = {
    "BACKEND": env.str("PRIVATE_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
}

# --- Product figures (defaults from the product's history; see docs/architecture.md, "Product figures").
PROFILE_MAX_SKILLS = env.int("PROFILE_MAX_SKILLS", default=20)
PORTFOLIO_MAX_IMAGES = env.int("PORTFOLIO_MAX_IMAGES", default=10)
FREELANCERS_PER_PAGE = env.int("FREELANCERS_PER_PAGE", default=20)
COMMISSION_PERCENT = env.int("COMMISSION_PERCENT", default=20)
MIN_OFFER_CENTS = env.int("MIN_OFFER_CENTS", default=2500)
OFFERS_PER_MONTH = env.int("OFFERS_PER_MONTH", default=15)
PROJECT_AUTO_APPROVE = env.bool("PROJECT_AUTO_APPROVE", default=False)
PROJECTS_PER_PAGE = env.int("PROJECTS_PER_PAGE", default=25)
# The list counts its matches up to this many ("more than 1,000"), and pages through that many: an
# exact count of 88,000 open projects cost 27 ms a page; filters and search narrow the rest.
PROJECTS_LIST_LIMIT = env.int("PROJECTS_LIST_LIMIT", default=1000)
PROJECT_MAX_SKILLS = env.int("PROJECT_MAX_SKILLS", default=5)
PROJECT_MAX_ATTACHMENTS = env.int("PROJECT_MAX_ATTACHMENTS", default=5)
OFFER_MAX_ATTACHMENTS = env.int("OFFER_MAX_ATTACHMENTS", default=5)
AUTO_ACCEPT_DAYS = env.int("AUTO_ACCEPT_DAYS", default=14)
# A service order delivered and left unanswered completes sooner than a project contract.
ORDER_AUTO_COMPLETE_DAYS = env.int("ORDER_AUTO_COMPLETE_DAYS", default=3)
CONTRACT_MAX_MILESTONES = env.int("CONTRACT_MAX_MILESTONES", default=10)
# The services market (mostaql.gigs): a base price from $5 in $5 steps, up to 4 upgrades of $5–$50,
# an order of at most $255.
SERVICE_MIN_PRICE_CENTS = env.int("SERVICE_MIN_PRICE_CENTS", default=500)
SERVICE_MAX_PRICE_CENTS = env.int("SERVICE_MAX_PRICE_CENTS", default=10_000)
SERVICE_PRICE_STEP_CENTS = env.int("SERVICE_PRICE_STEP_CENTS", default=500)
SERVICE_MAX_UPGRADES = env.int("SERVICE_MAX_UPGRADES", default=4)
UPGRADE_MIN_PRICE_CENTS = env.int("UPGRADE_MIN_PRICE_CENTS", default=500)
UPGRADE_MAX_PRICE_CENTS = env.int("UPGRADE_MAX_PRICE_CENTS", default=5000)
SERVICE_MAX_IMAGES = env.int("SERVICE_MAX_IMAGES", default=5)
SERVICE_MAX_SKILLS = env.int("SERVICE_MAX_SKILLS", default=5)
SERVICE_MAX_QUANTITY = env.int("SERVICE_MAX_QUANTITY", default=10)
SERVICE_MAX_DELIVERY_DAYS = env.int("SERVICE_MAX_DELIVERY_DAYS", default=90)
ORDER_MAX_CENTS = env.int("ORDER_MAX_CENTS", default=25_500)
SERVICES_PER_PAGE = env.int("SERVICES_PER_PAGE", default=24)
SERVICES_LIST_LIMIT = env.int("SERVICES_LIST_LIMIT", default=1000)
CLEARANCE_DAYS = env.int("CLEARANCE_DAYS", default=14)
MIN_WITHDRAWAL_CENTS = env.int("MIN_WITHDRAWAL_CENTS", default=1000)
DELIVERY_MAX_ATTACHMENTS = env.int("DELIVERY_MAX_ATTACHMENTS", default=5)
MESSAGE_MAX_ATTACHMENTS = env.int("MESSAGE_MAX_ATTACHMENTS", default=5)
MESSAGE_EMAIL_QUIET_MINUTES = env.int("MESSAGE_EMAIL_QUIET_MINUTES", default=15)
MESSAGES_PER_PAGE = env.int("MESSAGES_PER_PAGE", default=50)
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=14)
REPUTATION_MIN_SAMPLE = env.int("REPUTATION_MIN_SAMPLE", default=3)
REVIEWS_PER_PAGE = env.int("REVIEWS_PER_PAGE", default=10)
REPORTS_PER_HOUR = env.int("REPORTS_PER_HOUR", default=10)
# Help centre: support tickets a person (or an address, when anonymous) may file an hour.
SUPPORT_TICKETS_PER_HOUR = env.int("SUPPORT_TICKETS_PER_HOUR", default=5)
SUPPORT_TICKET_MAX_CHARS = env.int("SUPPORT_TICKET_MAX_CHARS", default=10_000)
# sitemap.xml: addresses per file of a section (search engines accept at most 50,000).
SITEMAP_LIMIT = env.int("SITEMAP_LIMIT", default=10_000)
# --- JSON API (/api/v1/): rate limits per token (or per signed-in user, or per IP when anonymous),
# the largest request body it reads, page sizes, and how long idempotency keys are remembered.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = env.int("API_ANONYMOUS_RATE_LIMIT_PER_MINUTE", default=60)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024)
# A multipart body carrying files (a delivery, a message): up to the largest file a kind allows, and more.
API_MAX_UPLOAD_BODY_BYTES = env.int("API_MAX_UPLOAD_BODY_BYTES", default=256 * 1024 * 1024)
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=20)
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)
# Payment gateways: the one used for deposits, and each gateway's webhook signing secret.
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="sandbox")
SANDBOX_WEBHOOK_SECRET = env.str("SANDBOX_WEBHOOK_SECRET", default="sandbox-development-secret")
WEBHOOK_TOLERANCE_SECONDS = env.int("WEBHOOK_TOLERANCE_SECONDS", default=300)
# The sandbox gateway makes money out of thin air: development and demos only, unless said otherwise.
SANDBOX_GATEWAY_ENABLED = env.bool("SANDBOX_GATEWAY_ENABLED", default=DEBUG)
# Benchmark-only endpoints (a fixed 200-byte response): on only in the gunicorn that `manage.py bench` starts.
BENCHMARK_ENDPOINTS = env.bool("BENCHMARK_ENDPOINTS", default=False)

# --- Security: production hardening, all on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS in production; SECURE_COOKIES=False only for a local stack without TLS
# (deploy/prod_local.py), where the browser would otherwise never send them back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Every asset is served by the app itself, so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Eager tasks would log a line each; a worker in production logs its own.
    "loggers": {"celery": {"level": env.str("CELERY_LOG_LEVEL", default="WARNING")}},
}
