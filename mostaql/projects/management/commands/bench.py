"""The benchmark of the project pages (DESIGN.md §6, issue 3), on PostgreSQL: `make bench` runs it.

1. Data, once per database: N projects and M offers (100,000 and 1,000,000 by default) with Arabic
   texts, written by COPY. Every generated row belongs to a user whose e-mail ends with
   @bench.mostaql.test, which is how a second run finds them (and --reset deletes them).
2. Server times: each page N times in this process through django.test.Client (the whole middleware
   stack, DEBUG off), with p50, p95 and the number of SQL queries.
3. Throughput: gunicorn (sync workers) on a free loopback port, loaded by wrk, or by a small Python
   load generator where wrk is missing; the project list beside a view that returns 200 fixed bytes.

It prints figures and never fails on timing: the goals (p95 under 50 ms; the list at least 25% of
the fixed view's throughput) are compared, not enforced.
"""

import datetime
import math
import multiprocessing
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from mostaql.accounts.models import Profile, User
from mostaql.catalog.models import Category, Skill
from mostaql.core.benchmark_database import ensure_database
from mostaql.core.cache import FRAGMENTS
from mostaql.core.models import SearchWord
from mostaql.core.search.analysis import document, skeleton, stems
from mostaql.core.search.engine import index_fields
from mostaql.projects import services
from mostaql.projects.models import Budget, Offer, OfferAttachment, Project, ProjectAttachment, ProjectEvent

BENCH_DOMAIN = "bench.mostaql.test"
# The project measured as "a project page with 50 offers": a title that the generator never writes.
SHOWCASE_TITLE = "مطلوب تطوير متجر إلكتروني متكامل لبيع العطور والهدايا مع بوابة دفع"
SHOWCASE_OFFERS = 50
GOAL_P95_MS = 50
GOAL_RATIO = 0.25
FORWARDED_HTTPS = ("X-Forwarded-Proto", "https")  # as behind the TLS proxy (SECURE_SSL_REDIRECT is on)

# --- Word lists -----------------------------------------------------------------------------------

FIRST_NAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "أحمد محمد محمود علي عمر خالد يوسف إبراهيم حسن حسين سامي طارق مازن كريم ماجد فهد سعد عبدالله "
    "عبدالرحمن ياسر وليد هشام أنس زياد بلال رامي نبيل عادل مصطفى إسماعيل سارة ليلى ريم نور هدى منى "
    "فاطمة مريم آمنة سلمى رنا دينا لينا هبة أسماء خديجة زينب جميلة رحاب شيماء إيمان ندى"
).split()
FAMILY_NAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "العتيبي الزهراني الحسيني الشامي المصري منصور القحطاني الغامدي الدوسري الشمري الحربي المطيري "
    "العنزي الخطيب النجار الحداد الصباغ العلي السيد عبدالله الأنصاري البغدادي الحلبي الدمشقي المغربي "
    "التونسي الجزائري السوداني اليمني العمري الكبيسي الرفاعي الهاشمي التميمي الجبوري الزعبي الخوري "
    "العبيدي السقا البنا الفاسي"
).split()
FREELANCER_TITLES = [
    "مطور ويب متكامل",
    "مُبَرمِج تطبيقات جوال",
    "مصممة هويات بصرية وشعارات",
    "مصمم جرافيك",
    "مترجم من الإنجليزية إلى العربية",
    "كاتب محتوى ومقالات",
    "مدققة لغوية",
    "مسوق إلكتروني",
    "خبير تحسين محركات البحث",
    "مهندس معماري",
    "مصممة ديكور داخلي",
    "محاسب قانوني",
    "مستشار أعمال",
    "معلمة لغة إنجليزية",
    "محرر فيديو وموشن جرافيك",
    "معلق صوتي",
    "مساعد افتراضي",
    "مدخل بيانات",
    "مطور ووردبريس",
    "مطور Django و React",
]
CLIENT_TITLES = [
    "صاحب متجر إلكتروني",
    "مؤسس شركة ناشئة",
    "مديرة تسويق",
    "مدير مشاريع",
    "صاحبة مشروع منزلي",
    "",
]
COUNTRIES = (  # noqa: SIM905 (a list of words reads best as words)
    "SA EG JO AE KW MA TN DZ SY LB IQ PS QA BH OM SD YE"
).split()
CITIES = [
    "الرياض",
    "جدة",
    "القاهرة",
    "الإسكندرية",
    "عمّان",
    "دبي",
    "أبوظبي",
    "الدوحة",
    "الكويت",
    "الدار البيضاء",
    "تونس",
    "بيروت",
    "مسقط",
    "المنامة",
    "الخرطوم",
]
CLIENTS_OF = [
    "لشركة ناشئة",
    "لمتجر عطور",
    "لمطعم شعبي",
    "لعيادة أسنان",
    "لمكتب محاماة",
    "لمدرسة خاصة",
    "لجمعية خيرية",
    "لشركة عقارات",
    "لمقهى",
    "لمتجر ملابس",
    "لمنصة تعليمية",
    "لشركة شحن",
    "لصالون تجميل",
    "لمعرض سيارات",
    "لمشروع منزلي",
    "لقناة يوتيوب",
    "لمكتب سياحة وسفر",
    "لشركة مقاولات",
    "لمتجر إلكتروني",
    "لمصنع حلويات",
]
ORGANISATIONS = [
    "شركة ناشئة في مجال التقنية المالية",
    "متجر إلكتروني للعطور",
    "مطعم للمأكولات الشامية",
    "عيادة أسنان",
    "مكتب محاماة",
    "مدرسة خاصة",
    "جمعية خيرية",
    "شركة عقارات",
    "مقهى مختص",
    "متجر ملابس أطفال",
    "منصة تعليمية",
    "شركة شحن وتوصيل",
    "مشروع منزلي للحلويات",
    "وكالة سفر",
]
# What clients ask for, by category slug (from the starting catalog).
NEEDS = {
    "programming": [
        "تطوير موقع إلكتروني",
        "برمجة متجر إلكتروني",
        "تطوير تطبيق جوال",
        "برمجة نظام إدارة مخزون",
        "إصلاح أخطاء موقع ووردبريس",
        "ربط واجهة برمجة تطبيقات",
        "تطوير لوحة تحكم",
        "برمجة بوت تيليجرام",
        "تحسين سرعة موقع",
        "تصميم قاعدة بيانات",
    ],
    "design": [
        "تصميم شعار",
        "تصميم هوية بصرية",
        "تصميم شعارات",
        "تصميم منشورات للسوشيال ميديا",
        "تصميم واجهات تطبيق",
        "تصميم بطاقات أعمال",
        "تصميم غلاف كتاب",
        "تصميم بروشور",
        "تصميم إنفوجرافيك",
        "رسم شخصيات كرتونية",
    ],
    "writing-translation": [
        "كتابة مقالات",
        "ترجمة ملف",
        "تدقيق لغوي لكتاب",
        "كتابة محتوى لموقع",
        "كتابة وصف منتجات",
        "ترجمة عقد قانوني",
        "كتابة سيناريو فيديو",
        "كتابة قصص أطفال",
        "ترجمة موقع إلكتروني",
    ],
    "marketing-sales": [
        "إدارة حسابات التواصل الاجتماعي",
        "حملة إعلانية على فيسبوك",
        "تحسين محركات البحث لموقع",
        "خطة تسويق",
        "إدارة إعلانات جوجل",
        "دراسة سوق",
        "حملة بريد إلكتروني",
        "زيادة مبيعات متجر",
    ],
    "engineering-architecture": [
        "تصميم داخلي لشقة",
        "رسم مخططات أوتوكاد",
        "تصميم واجهة فيلا",
        "نمذجة ثلاثية الأبعاد لمبنى",
        "تصميم مطبخ",
        "حساب أحمال إنشائية",
        "مخطط كهربائي",
    ],
    "business-consulting": [
        "دراسة جدوى",
        "خطة عمل",
        "تحليل مالي",
        "إعداد ميزانية",
        "استشارة قانونية",
        "نموذج إكسل لإدارة المخزون",
        "هيكلة الموارد البشرية",
    ],
    "training-education": [
        "دروس خصوصية في الرياضيات",
        "تصميم دورة تدريبية",
        "تعليم اللغة الإنجليزية",
        "تحفيظ القرآن الكريم للأطفال",
        "إعداد عرض تقديمي",
        "تعليم البرمجة للمبتدئين",
        "كتابة محتوى تعليمي",
    ],
    "video-audio": [
        "مونتاج فيديو",
        "فيديو موشن جرافيك",
        "تعليق صوتي",
        "فيديو رسوم متحركة",
        "تفريغ وترجمة فيديو",
        "تصوير منتجات",
        "تحرير حلقات بودكاست",
        "مقدمة فيديو لقناة يوتيوب",
    ],
    "data-entry-support": [
        "إدخال بيانات",
        "مساعد افتراضي",
        "خدمة عملاء",
        "بحث على الإنترنت",
        "تحويل ملفات PDF إلى وورد",
        "تنظيم جداول بيانات",
        "كتابة على الحاسوب",
        "إدارة البريد الإلكتروني",
    ],
}
GENERIC_NEEDS = ["تنفيذ مهمة صغيرة", "مساعدة في مشروع", "عمل احترافي"]
TITLE_FORMS = [
    "{need} {client}",
    "مطلوب {need} {client}",
    "أحتاج إلى {need} {client}",
    "{need} {client} بشكل احترافي",
    "{need} {client} في {city}",
    "مطلوب مستقل محترف ل{need}",
    "{need} بسرعة وجودة عالية",
]
OPENINGS = [
    "نحن {org} في {city}، ونبحث عن مستقل محترف ل{need}.",
    "أعمل على مشروع جديد وأحتاج إلى {need} {client}.",
    "لدينا {org} ونريد {need} يعكس هويتنا ويناسب جمهورنا.",
    "السلام عليكم، أبحث عن شخص متمكن ل{need} في أقرب وقت.",
    "مطلوب {need} {client}، والعمل عن بعد بالكامل.",
]
DETAILS = [
    "المطلوب تسليم العمل خلال {days} مع إمكانية التعديل مرتين على الأقل.",
    "يُفضَّل أن تكون لديك خبرة سابقة في {skill} وأن ترفق نماذج من أعمالك السابقة.",
    "سنوفر لك كل المواد والنصوص والصور اللازمة فور الاتفاق.",
    "الرجاء ذكر المدة والتكلفة في العرض بوضوح، وشرح طريقة العمل بإيجاز.",
    "التواصل سيكون عبر الرسائل في المنصة، ونفضل التحديث اليومي على سير العمل.",
    "نريد عملاً نظيفاً ومنظماً يسهل تطويره وتعديله لاحقاً.",
    "الجمهور المستهدف هو الشباب في دول الخليج ومصر.",
    "الميزانية قابلة للنقاش حسب الخبرة وجودة الأعمال السابقة.",
    "سيتم اختيار العرض الأنسب بناءً على معرض الأعمال وسرعة التنفيذ.",
    "العمل باللغة العربية أساساً، مع نسخة إنجليزية مختصرة إن أمكن.",
    "لدينا تصور مبدئي وأمثلة لأعمال أعجبتنا سنشاركها مع المستقل المختار.",
    "المشروع قد يتحول إلى تعاون طويل الأمد إذا نجحت المرحلة الأولى.",
    "نحتاج إلى تسليم الملفات المصدرية كاملة مع حقوق الاستخدام التجاري.",
    "أرجو عدم إرسال عروض منسوخة، واقرأ الوصف جيداً قبل التقديم.",
]
OFFER_OPENINGS = [
    "مرحباً، اطلعت على تفاصيل مشروعك ويمكنني تنفيذه بجودة عالية خلال {days}.",
    "السلام عليكم، قرأت الوصف جيداً وأستطيع البدء فوراً.",
    "أهلاً بك، لدي خبرة تزيد على {years} سنوات في هذا النوع من الأعمال.",
    "مساء الخير، هذا المشروع ضمن تخصصي تماماً وقد نفذت مشاريع مشابهة.",
]
OFFER_DETAILS = [
    "يمكنك الاطلاع على معرض أعمالي في ملفي الشخصي.",
    "أضمن لك تعديلات مجانية حتى رضاك التام.",
    "سأرسل لك نسخة أولية خلال يومين لأخذ ملاحظاتك.",
    "أحرص على التواصل المستمر والالتزام بالموعد المحدد.",
    "السعر يشمل الملفات المصدرية والدعم بعد التسليم لمدة أسبوعين.",
    "يسعدني التواصل معك لمناقشة التفاصيل قبل البدء.",
]
SHOWCASE_DESCRIPTION = (
    "نحن متجر عطور وهدايا في الرياض، ونريد متجراً إلكترونياً متكاملاً: عرض المنتجات بالصور، وسلة "
    "مشتريات، وبوابة دفع محلية (مدى وأبل باي)، ولوحة تحكم لإدارة الطلبات والمخزون، وتقارير مبيعات "
    "شهرية. الموقع باللغة العربية أساساً مع نسخة إنجليزية. نحتاج إلى تسليم الشيفرة كاملة مع دليل "
    "تشغيل مختصر، والدعم لمدة شهر بعد الإطلاق. الرجاء ذكر أعمال سابقة مشابهة في العرض."
)
# Keyword searches (issue 12), timed apart: words as the texts hold them; forms that only stemming,
# the article, a joined letter or a broken plural joins to them; typos and other spellings, which
# the vocabulary's trigram index turns into words first.
SEARCHES = {
    "exact": [
        "تصميم شعار",
        "متجر إلكتروني",
        "ترجمة",
        "تطبيق جوال",
        "ووردبريس",
        "مونتاج فيديو",
        "دراسة جدوى",
        "تصميم داخلي",
        "إدخال بيانات",
        "Django",
        "سوشيال ميديا",
        "خطة تسويق",
        "تطوير موقع",
        "هوية بصرية",
        "تعليق صوتي",
    ],
    "stemmed": [
        "الشعارات",
        "برمجه",
        "المواقع",
        "تصاميم",
        "للمتاجر",
        "بالترجمة",
        "المطاعم",
        "عقود",
        "قصة",
        "الفيديوهات",
        "والتسويق",
        "مقال",
        "مشاريع",
        "جانجو",
        "الحملات الإعلانية",
    ],
    "fuzzy": [
        "تسويقق",
        "تصمييم شعار",
        "مونتاح فيديو",
        "هويه بصريع",
        "متحر الكتروني",
        "تعلبق صوتي",
        "كتابة مقالاث",
        "فوتوشوبب",
        "انفوجرافيق",
        "ترجمت ملف",
        "اوتوكاض",
        "جمعيه خيريح",
        "تحفيظ القرات",
        "تيليغرام",
        "محاسبه ضريبيه",
    ],
}


def _days(count: int) -> str:
    """A number of days as Arabic writes it (3–10 take a plural, 11 and more a singular accusative)."""
    if count == 1:
        return "يوم واحد"
    if count == 2:
        return "يومين"
    return f"{count} أيام" if count <= 10 else f"{count} يوماً"


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, path: str, *, keep_alive: bool) -> bytes:
    header, value = FORWARDED_HTTPS
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{header}: {value}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    ).encode()


# --- The Python load generator (used where wrk is missing) ----------------------------------------


def _python_load_worker(args) -> tuple[int, int]:
    """One process: keep-alive HTTP/1.1 GETs until the deadline; (good responses, bad responses)."""
    port, paths, deadline, counter_start = args
    good = bad = 0
    sock = None
    buffer = b""
    index = counter_start
    while time.monotonic() < deadline:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port))
            buffer = b""
        path = paths[index % len(paths)].replace("{n}", str(index))
        index += 1
        request = _request(port, path, keep_alive=True)
        try:
            sock.sendall(request)
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
            }
            length = int(headers.get("content-length", "0"))
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            buffer = buffer[length:]
            if lines[0].split(" ")[1] == "200":
                good += 1
            else:
                bad += 1
            if headers.get("connection", "").lower() == "close":
                sock.close()
                sock = None
        except (OSError, ConnectionError, ValueError, IndexError):
            bad += 1
            if sock is not None:
                sock.close()
            sock = None
    if sock is not None:
        sock.close()
    return good, bad


class Command(BaseCommand):
    help = (
        "Generate projects and offers at a stated scale in a PostgreSQL benchmark database, then print "
        "server times (p50/p95) of the project pages and the list's throughput under gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100_000, help="projects to generate (100,000)")
        parser.add_argument("--offers", type=int, default=1_000_000, help="offers to generate (1,000,000)")
        parser.add_argument(
            "--reset", action="store_true", help="delete the generated rows and make them anew"
        )
        parser.add_argument("--requests", type=int, default=200, help="timed requests per page (200)")
        parser.add_argument(
            "--duration", type=float, default=10.0, help="seconds of load per throughput figure"
        )
        parser.add_argument(
            "--workers",
            default="auto",
            help="gunicorn workers: a number, or 'auto' to measure 2 and 3 (auto)",
        )
        parser.add_argument(
            "--load-generator",
            choices=["auto", "wrk", "python"],
            default="auto",
            help="wrk where installed, else a Python load generator (auto)",
        )
        parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn measurements")
        parser.add_argument("--seed", type=int, default=2024, help="random seed of the generated data")
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="write to a database whose name does not contain 'bench' (refused otherwise)",
        )

    # --- Orchestration --------------------------------------------------------------------------

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark runs on PostgreSQL only: set DATABASE_URL, e.g. "
                "postgres://postgres@127.0.0.1:5432/mostaql_bench (`make bench` does)."
            )
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["allow_any_database"]:
            raise CommandError(
                f"Refusing to write {options['projects']:,} projects into the database {name!r}: its name "
                "does not contain 'bench'. Point DATABASE_URL at a benchmark database, or pass "
                "--allow-any-database."
            )
        if options["projects"] < 10 or options["offers"] < SHOWCASE_OFFERS:
            raise CommandError(f"Generate at least 10 projects and {SHOWCASE_OFFERS} offers.")
        self.started = time.monotonic()
        ensure_database(name, say=self.say)
        self.say(f"database {name!r}: migrating")
        call_command("migrate", interactive=False, verbosity=0)
        self._check_ctype()

        generation = self._prepare_data(options)
        showcase = Project.objects.get(owner__email__endswith="@" + BENCH_DOMAIN, title=SHOWCASE_TITLE)
        counts = self._counts()
        self.say(
            f"data: {counts['projects']:,} projects ({counts['open']:,} open), {counts['offers']:,} offers, "
            f"{counts['users']:,} users; the project page measured is #{showcase.pk} "
            f"({showcase.offer_count} offers)"
        )

        with _OtherCpu() as self.others_times:
            server_times = self._server_times(showcase, options["requests"])
        throughput = None
        if not options["no_throughput"]:
            with _OtherCpu() as self.others_load:
                throughput = self._throughput(options)
        self._summary(options, generation, counts, server_times, throughput)
        failed = [result["label"] for result in server_times if "error" in result]
        if failed:
            raise CommandError(f"{len(failed)} page(s) failed (not a timing): {', '.join(failed)}")

    def say(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:6.1f}s] {message}")
        self.stdout.flush()

    def _check_ctype(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            (ctype,) = cursor.fetchone()
        if ctype in ("C", "POSIX"):
            self.stderr.write(
                f"warning: this database has LC_CTYPE {ctype!r}: trigram matching finds nothing in Arabic, "
                "so the search figures are not meaningful. Recreate it with LC_CTYPE C.UTF-8."
            )

    # --- Data -----------------------------------------------------------------------------------

    def _counts(self) -> dict:
        users = User.objects.filter(email__endswith="@" + BENCH_DOMAIN)
        projects = Project.objects.filter(owner__in=users)
        return {
            "users": users.count(),
            "projects": projects.count(),
            "open": projects.filter(status=Project.Status.OPEN).count(),
            "offers": Offer.objects.filter(project__in=projects).count(),
        }

    def _prepare_data(self, options) -> dict:
        """Generate the rows, unless they are there at this scale already; returns timings."""
        want_projects, want_offers = options["projects"], options["offers"]
        counts = self._counts()
        if options["reset"] and (counts["users"] or counts["projects"]):
            started = time.monotonic()
            self._delete_generated()
            self.say(f"--reset: deleted the generated rows in {time.monotonic() - started:.1f}s")
            counts = self._counts()
        if counts["projects"] == want_projects and counts["offers"] == want_offers:
            self.say(
                f"data already generated at this scale ({want_projects:,} projects, {want_offers:,} offers)"
            )
            return {"generated": False}
        if counts["users"] or counts["projects"]:
            raise CommandError(
                f"This database holds generated data at another scale ({counts['projects']:,} projects, "
                f"{counts['offers']:,} offers): run with --reset to replace it."
            )
        started = time.monotonic()
        self.say(f"generating {want_projects:,} projects and {want_offers:,} offers")
        with transaction.atomic():
            self._generate(want_projects, want_offers, random.Random(options["seed"]))
        written = time.monotonic() - started
        self.say(f"rows written and committed in {written:.1f}s; VACUUM ANALYZE")
        with connection.cursor() as cursor:
            for model in (User, Profile, Project, Project.skills.through, Profile.skills.through, Offer):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        total = time.monotonic() - started
        self.say(f"data ready in {total:.1f}s")
        return {"generated": True, "write_seconds": written, "total_seconds": total}

    def _delete_generated(self) -> None:
        """Delete every row that belongs to a generated user, with plain SQL (the ORM would take hours)."""
        t = {
            "user": User._meta.db_table,
            "profile": Profile._meta.db_table,
            "profile_skills": Profile.skills.through._meta.db_table,
            "project": Project._meta.db_table,
            "project_skills": Project.skills.through._meta.db_table,
            "project_attachment": ProjectAttachment._meta.db_table,
            "project_event": ProjectEvent._meta.db_table,
            "offer": Offer._meta.db_table,
            "offer_attachment": OfferAttachment._meta.db_table,
        }
        users = f'SELECT id FROM "{t["user"]}" WHERE email LIKE %s'
        projects = f'SELECT id FROM "{t["project"]}" WHERE owner_id IN ({users})'
        offers = (
            f'SELECT id FROM "{t["offer"]}" WHERE project_id IN ({projects}) OR freelancer_id IN ({users})'
        )
        statements = [
            f'DELETE FROM "{t["offer_attachment"]}" WHERE offer_id IN ({offers})',
            f'DELETE FROM "{t["offer"]}" WHERE project_id IN ({projects}) OR freelancer_id IN ({users})',
            f'DELETE FROM "{t["project_skills"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_attachment"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_event"]}" WHERE project_id IN ({projects})',
            f'DELETE FROM "{t["project_event"]}" WHERE actor_id IN ({users})',
            f'DELETE FROM "{t["project"]}" WHERE owner_id IN ({users})',
            (
                f'DELETE FROM "{t["profile_skills"]}" WHERE profile_id IN '
                f'(SELECT id FROM "{t["profile"]}" WHERE user_id IN ({users}))'
            ),
            f'DELETE FROM "{t["profile"]}" WHERE user_id IN ({users})',
            f'DELETE FROM "{EmailAddress._meta.db_table}" WHERE user_id IN ({users})',
            f'DELETE FROM "{t["user"]}" WHERE email LIKE %s',
        ]
        pattern = "%@" + BENCH_DOMAIN
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement, [pattern] * statement.count("%s"))
        except DatabaseError as error:
            raise CommandError(
                f"Could not delete the generated rows (other rows refer to them?): {error}"
            ) from error

    def _copy(self, table: str, columns: list[str], rows) -> int:
        count = 0
        with connection.cursor() as cursor:
            column_list = ", ".join(f'"{column}"' for column in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count

    def _reserve_ids(self, model, count: int) -> int:
        """The first of `count` consecutive ids to insert explicitly; the sequence moves past them."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1])
        return first

    def _generate(self, n_projects: int, n_offers: int, rng: random.Random) -> None:
        now = timezone.now()
        day = 86_400.0
        now_ts = now.timestamp()
        utc = datetime.UTC

        def at(ts: float) -> datetime.datetime:
            return datetime.datetime.fromtimestamp(ts, tz=utc)

        categories = list(Category.objects.order_by("position", "id"))
        skills_of = defaultdict(list)
        for skill in Skill.objects.order_by("id"):
            skills_of[skill.category_id].append(skill)
        if not categories:
            raise CommandError("The catalog is empty: the catalog's data migration has not run.")

        # Users: enough freelancers that a year of offers stays under the monthly quota of 15.
        n_freelancers = max(SHOWCASE_OFFERS + 10, math.ceil(n_offers / 160))
        n_clients = max(20, n_projects // 40)
        n_users = n_freelancers + n_clients
        first_user = self._reserve_ids(User, n_users)
        first_profile = self._reserve_ids(Profile, n_users)
        freelancer_ids = list(range(first_user, first_user + n_freelancers))
        client_ids = list(range(first_user + n_freelancers, first_user + n_users))
        users, profiles, profile_skills = [], [], []
        all_skill_ids = [skill.pk for skills in skills_of.values() for skill in skills]
        skill_names = {
            skill.pk: (skill.name_ar, skill.name_en) for skills in skills_of.values() for skill in skills
        }
        vocabulary: set[str] = set()  # every indexed word, for the search's typos (core.SearchWord)
        for offset in range(n_users):
            user_id, profile_id = first_user + offset, first_profile + offset
            is_freelancer = offset < n_freelancers
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
            joined = at(now_ts - rng.uniform(370, 3 * 365) * day)
            kind = "f" if is_freelancer else "c"
            users.append(
                (
                    user_id,
                    "!",  # an unusable password: nobody logs in as a generated user
                    None,
                    False,
                    f"bench-{kind}{offset:06d}@{BENCH_DOMAIN}",
                    name,
                    User.Role.FREELANCER if is_freelancer else User.Role.CLIENT,
                    False,
                    True,
                    joined,
                )
            )
            title = rng.choice(FREELANCER_TITLES if is_freelancer else CLIENT_TITLES)
            rate = rng.randrange(5, 80) * 100 if is_freelancer else None
            chosen_skills = rng.sample(all_skill_ids, 3) if is_freelancer else []
            indexed = document(
                title=f"{name} {title}",
                body=" ".join(f"{skill_names[pk][0]} {skill_names[pk][1]}" for pk in chosen_skills),
            )
            vocabulary |= indexed.all_words
            profiles.append(
                (
                    profile_id,
                    joined,
                    joined,
                    user_id,
                    f"{slugify(name, allow_unicode=True)}-{user_id}",
                    title,
                    "",
                    "",
                    "",
                    rng.choice(COUNTRIES),
                    rate,
                    *index_fields(indexed).values(),
                )
            )
            profile_skills.extend((profile_id, skill_id) for skill_id in chosen_skills)
        self._copy(
            User._meta.db_table,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "name",
                "primary_role",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        profile_columns = [
            "id",
            "created_at",
            "updated_at",
            "user_id",
            "slug",
            "title",
            "bio",
            "avatar",
            "avatar_thumbnail",
            "country",
            "hourly_rate_cents",
            *index_fields(document(title="", body="")),
        ]
        self._copy(Profile._meta.db_table, profile_columns, profiles)
        self._copy(Profile.skills.through._meta.db_table, ["profile_id", "skill_id"], profile_skills)
        self.say(f"  {n_users:,} users with profiles ({n_freelancers:,} freelancers, {n_clients:,} clients)")

        # Projects: mostly open, published over the past year; ids follow the order of creation.
        S = Project.Status
        budgets = Budget.values
        specs = []
        for index in range(n_projects):
            roll = rng.random()
            if index == 0 or roll < 0.88:
                status = S.OPEN
            elif roll < 0.95:
                status = S.CLOSED
            elif roll < 0.98:
                status = S.PENDING_REVIEW
            else:
                status = S.REJECTED
            if index == 0:  # the showcase: two days old
                published = now_ts - 2 * day
            elif status == S.PENDING_REVIEW:
                published = None
            elif status == S.CLOSED:
                published = now_ts - rng.uniform(30, 365) * day
            else:
                published = now_ts - rng.uniform(0, 365) * day
            created = (
                now_ts - rng.uniform(0, 3) * day
                if status == S.PENDING_REVIEW
                else (published or now_ts - rng.uniform(1, 365) * day) - rng.uniform(0.05, 2) * day
            )
            specs.append([created, published, status, index == 0])
        specs.sort(key=lambda spec: spec[0])
        first_project = self._reserve_ids(Project, n_projects)
        for offset, spec in enumerate(specs):
            spec.append(first_project + offset)

        # Offers per project: an exponential spread over open and closed projects, 50 on the showcase.
        takes_offers = [spec for spec in specs if spec[2] in (S.OPEN, S.CLOSED) and not spec[3]]
        showcase = next(spec for spec in specs if spec[3])
        remaining = n_offers - SHOWCASE_OFFERS
        cap = min(n_freelancers - 1, 250)
        if remaining > cap * len(takes_offers):
            raise CommandError("Too many offers for so few projects: raise --projects.")
        weights = [rng.expovariate(1.0) for _ in takes_offers]
        scale = remaining / sum(weights)
        per_project = {
            spec[4]: min(cap, int(weight * scale)) for spec, weight in zip(takes_offers, weights, strict=True)
        }
        short = remaining - sum(per_project.values())
        ids = list(per_project)
        while short > 0:
            project_id = rng.choice(ids)
            if per_project[project_id] < cap:
                per_project[project_id] += 1
                short -= 1
        per_project[showcase[4]] = SHOWCASE_OFFERS

        offer_texts = []
        for _ in range(800):
            parts = [rng.choice(OFFER_OPENINGS), *rng.sample(OFFER_DETAILS, rng.randint(1, 3))]
            offer_texts.append(
                " ".join(parts).format(days=_days(rng.randint(2, 30)), years=rng.randint(3, 10))
            )

        offers = []  # (created ts, project id, freelancer id, cents, days, text, status, returned)
        project_rows, project_skill_rows = [], []
        for created, published, status, is_showcase, project_id in specs:
            category = rng.choice(categories)
            skills = rng.sample(skills_of[category.pk], rng.randint(1, min(5, len(skills_of[category.pk]))))
            budget = rng.choice(budgets)
            duration = rng.choice((3, 5, 7, 10, 14, 21, 30, 45, 60, 90))
            if is_showcase:
                category = next((c for c in categories if c.slug == "programming"), category)
                skills = list(skills_of[category.pk][:4])
                title, description, budget, duration = SHOWCASE_TITLE, SHOWCASE_DESCRIPTION, "1000-2500", 30
            else:
                title, description = self._project_text(rng, category, skills, duration)
            low, high = Budget.bounds_cents(budget)
            count = per_project.get(project_id, 0)
            live = 0
            if count:
                start = published
                span = max(60.0, min(20 * day, now_ts - start))
                for freelancer_id in rng.sample(freelancer_ids, count):
                    withdrawn = not is_showcase and rng.random() < 0.03
                    if withdrawn:
                        offer_status, returned = Offer.Status.WITHDRAWN, False
                    elif status == S.CLOSED:
                        offer_status, returned = Offer.Status.NOT_HIRED, True
                    else:
                        offer_status, returned = Offer.Status.SUBMITTED, False
                    live += not withdrawn
                    cents = max(settings.MIN_OFFER_CENTS, rng.randint(low // 500, high // 500) * 500)
                    offers.append(
                        (
                            start + rng.uniform(0, span),
                            project_id,
                            freelancer_id,
                            cents,
                            max(1, min(365, duration + rng.randint(-3, 7))),
                            rng.randrange(len(offer_texts)),
                            offer_status,
                            returned,
                        )
                    )
            skills.sort(key=lambda skill: skill.name_ar)  # Skill's ordering, within one category
            indexed = Project(title=title, description=description)
            vocabulary |= services._index(indexed, skills).all_words  # as the services index them
            project_rows.append(
                (
                    project_id,
                    at(created),
                    at(published or created),
                    rng.choice(client_ids),
                    title,
                    description,
                    category.pk,
                    budget,
                    duration,
                    status,
                    "الوصف لا يوضح المطلوب بما يكفي، أضف التفاصيل ثم أعد النشر."
                    if status == S.REJECTED
                    else "",
                    at(published) if published else None,
                    live,
                    *(getattr(indexed, column) for column in index_fields(document(title="", body=""))),
                )
            )
            project_skill_rows.extend((project_id, skill.pk) for skill in skills)
        self._copy(
            Project._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                "owner_id",
                "title",
                "description",
                "category_id",
                "budget",
                "duration_days",
                "status",
                "rejection_reason",
                "published_at",
                "offer_count",
                *index_fields(document(title="", body="")),
            ],
            project_rows,
        )
        self._copy(Project.skills.through._meta.db_table, ["project_id", "skill_id"], project_skill_rows)
        self.say(f"  {n_projects:,} projects with {len(project_skill_rows):,} skill links")
        del project_rows, project_skill_rows

        offers.sort(key=lambda offer: offer[0])  # rows arrive in the order offers were sent
        self._copy(
            Offer._meta.db_table,
            [
                "created_at",
                "updated_at",
                "project_id",
                "freelancer_id",
                "amount_cents",
                "duration_days",
                "text",
                "status",
                "is_returned_to_quota",
            ],
            (
                (at(ts), at(ts), project_id, freelancer_id, cents, days, offer_texts[text], status, returned)
                for ts, project_id, freelancer_id, cents, days, text, status, returned in offers
            ),
        )
        self.say(f"  {len(offers):,} offers")
        SearchWord.objects.bulk_create(
            [
                SearchWord(word=word, stem=stems(word)[0], skeleton=skeleton(word))
                for word in sorted(vocabulary)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        self.say(f"  {len(vocabulary):,} words in the search vocabulary")

    def _project_text(self, rng: random.Random, category, skills, duration: int) -> tuple[str, str]:
        need = rng.choice(NEEDS.get(category.slug) or GENERIC_NEEDS)
        values = {
            "need": need,
            "client": rng.choice(CLIENTS_OF),
            "city": rng.choice(CITIES),
            "org": rng.choice(ORGANISATIONS),
            "days": _days(duration),
            "skill": rng.choice(skills).name_ar,
        }
        title = rng.choice(TITLE_FORMS).format(**values)[:120]
        sentences = [rng.choice(OPENINGS), *rng.sample(DETAILS, rng.randint(2, 6))]
        description = " ".join(sentences).format(**values)
        if rng.random() < 0.3:
            description += "\n\nالمهارات المطلوبة: " + "، ".join(skill.name_ar for skill in skills) + "."
        return title, description

    # --- Server times ---------------------------------------------------------------------------

    def _server_times(self, showcase: Project, requests: int) -> list[dict]:
        """Each page `requests` times in this process, DEBUG off, through the whole middleware stack."""
        skills_of = defaultdict(list)
        for category, skill in Skill.objects.values_list("category__slug", "slug"):
            skills_of[category].append(skill)
        rng = random.Random(7)
        pages = [""] + [f"?page={page}" for page in range(2, 11)]
        filtered = []  # the first one, measured for its queries, is the commonest: one category
        for index in range(60):
            category = rng.choice(sorted(skills_of))
            params = {"category": category}
            if index % 2:
                params["budget"] = rng.choice(Budget.values)
            if index % 3 == 2:
                params["skills"] = rng.choice(skills_of[category])
            if index % 4 == 3:
                params["posted"] = rng.choice(["day", "week", "month"])
            if index % 5 == 4:
                params["sort"] = "fewest_offers"
            if index % 6 == 5:
                params["page"] = 2
            filtered.append("?" + urlencode(params))
        searches = {
            kind: [f"/projects/?{urlencode({'q': query})}" for query in queries]
            for kind, queries in SEARCHES.items()
        }
        searches["exact"] += [
            f"/projects/?{urlencode({'q': query, 'page': 2})}" for query in SEARCHES["exact"][:5]
        ]
        detail = showcase.get_absolute_url()
        # What is emptied before each request: "results" retires the cached list results (as any change to a
        # project does; the filter menus, which change only with the catalog, stay); "all" empties every
        # rendered fragment (results, menus, offer cards), as after a restart.
        listing = ["/projects/" + p for p in pages]
        plan = [
            ("list", "project list, pages 1-10 (results not cached)", listing, "results"),
            ("list_cached", "project list, page 1 (cached results)", ["/projects/"], None),
            ("list_cold", "project list, pages 1-10 (nothing cached)", listing, "all"),
            (
                "filtered",
                "filtered list, 60 filter combinations (results not cached)",
                [f"/projects/{q}" for q in filtered],
                "results",
            ),
            *(
                (
                    f"search_{kind}",
                    f"keyword search, {kind}, most relevant first ({len(urls)} URLs, not cached)",
                    urls,
                    "results",
                )
                for kind, urls in searches.items()
            ),
            ("detail", f"project page, 50 offers, anonymous (#{showcase.pk})", [detail], None),
            ("detail_cold", "project page, 50 offers, anonymous (no card cached)", [detail], "all"),
            ("detail_owner", "project page, 50 offers, seen by its owner", [detail], None),
            ("detail_owner_cold", "project page, 50 offers, its owner (no card cached)", [detail], "all"),
        ]
        results = []
        self._search_index_sizes()
        self.say(f"server times: {requests} requests a page, in-process (django.test.Client, DEBUG=False)")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for key, label, urls, clear in plan:
                client = Client()
                if key.startswith("detail_owner"):
                    client.force_login(showcase.owner)
                try:
                    results.append(self._time_page(client, key, label, urls, clear, requests))
                except Exception as error:  # a broken page is reported, and the other pages still run
                    self.stderr.write(f"  {label}: FAILED: {type(error).__name__}: {error}")
                    results.append({"key": key, "label": label, "error": f"{type(error).__name__}: {error}"})
        return results

    def _search_index_sizes(self) -> None:
        vectors = ("search_vector", "search_title_vector", "search_title_stems_vector")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT "
                + ", ".join(f"pg_relation_size('projects_project_{vector}')" for vector in vectors)
                + ", "
                + ", ".join(
                    f"(SELECT sum(pg_column_size({vector})) FROM projects_project)" for vector in vectors
                )
                + ", pg_total_relation_size('core_searchword'), (SELECT count(*) FROM core_searchword)"
            )
            sizes = [value or 0 for value in cursor.fetchone()]
        mib = [f"{value / 2**20:.1f}" for value in sizes[:6]]
        self.say(
            f"search indexes (GIN, MiB): stems {mib[0]}, title words {mib[1]}, title stems {mib[2]}; "
            f"stored vectors (MiB): {mib[3]}, {mib[4]}, {mib[5]}; "
            f"vocabulary {sizes[7]:,} words, {sizes[6] / 2**20:.1f} MiB with its indexes"
        )

    def _time_page(self, client: Client, key: str, label: str, urls: list[str], clear, n: int) -> dict:
        def empty():
            if clear == "results":
                services.bump_list_version()
            elif clear == "all":
                caches[FRAGMENTS].clear()

        def get(url: str):
            empty()
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            return response

        for url in urls[:10]:  # warm the templates, the connection and PostgreSQL's buffers
            get(url)
        with CaptureQueriesContext(connection) as queries:
            response = get(urls[0])
        query_count, size = len(queries.captured_queries), len(response.content)
        times = []
        budget_ends = time.monotonic() + 60  # a slow page is cut short, not waited for
        for index in range(n):
            url = urls[index % len(urls)]
            empty()
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            if time.monotonic() > budget_ends:
                break
        result = {
            "key": key,
            "label": label,
            "n": len(times),
            "p50": _percentile(times, 0.50),
            "p95": _percentile(times, 0.95),
            "queries": query_count,
            "bytes": size,
        }
        self.say(
            f"  {label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
            f"{query_count} queries, {size / 1024:.0f} KiB ({result['n']} requests)"
        )
        return result

    # --- Throughput under gunicorn --------------------------------------------------------------

    def _throughput(self, options) -> dict | None:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            self.stderr.write("throughput skipped: DATABASE_URL is not in the environment for gunicorn")
            return None
        env = {
            **os.environ,
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "BENCHMARK_ENDPOINTS": "True",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        base_dir = Path(settings.BASE_DIR)
        self.say("throughput: collectstatic (production serves its own compressed static files)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=base_dir,
            env=env,
            check=True,
        )
        wrk = shutil.which("wrk") if options["load_generator"] != "python" else None
        if options["load_generator"] == "wrk" and not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk), or use --load-generator python")
        if wrk:
            tool = "wrk (1 thread)"
        else:
            reason = "as asked" if options["load_generator"] == "python" else "wrk is not installed"
            tool = f"a Python load generator (2 processes, keep-alive; {reason})"
        self.say(f"throughput: load from {tool}, on 127.0.0.1 only")
        duration = options["duration"]
        fixed, listing = "/bench/fixed/", "/projects/"
        # A page "number" never seen before (not a number: page 1): the results cache misses. Parameters
        # the list does not read make no new cache key.
        missed = "/projects/?page={token}-{n}"
        paths = {"fixed": fixed, "list": listing, "list_missed": missed}

        if options["workers"] == "auto":
            probes = {}
            for workers in (2, 3):
                with _Gunicorn(base_dir, env, workers) as server:
                    probes[workers] = _rate([_load(wrk, server.port, listing, min(duration, 4), workers)])
                self.say(
                    f"  probe: /projects/ with {workers} workers: {probes[workers]['rps']:,.0f} requests/s"
                )
            workers = max(probes, key=lambda w: probes[w]["rps"])
            chosen_by = "measured: " + ", ".join(f"{w} workers {p['rps']:,.0f}/s" for w, p in probes.items())
        else:
            workers, chosen_by = int(options["workers"]), "given"
        figures = {"tool": tool, "workers": workers, "chosen_by": chosen_by}
        # Interleaved in slices of about 2 s, so that a change in the machine's load hits all three alike.
        slices = max(1, round(duration / 2))
        runs = {key: [] for key in paths}
        with _Gunicorn(base_dir, env, workers) as server:
            for _ in range(slices):
                for key, path in paths.items():
                    runs[key].append(_load(wrk, server.port, path, duration / slices, workers))
        for key, path in paths.items():
            figures[key] = _rate(runs[key])
            note = f" ({figures[key]['errors']} not 200)" if figures[key]["errors"] else ""
            self.say(f"  {path} with {workers} workers: {figures[key]['rps']:,.0f} requests/s{note}")
        return figures

    # --- Report ---------------------------------------------------------------------------------

    def _summary(self, options, generation, counts, server_times, throughput) -> None:
        out = self.stdout.write
        out("")
        out("=" * 78)
        out(
            f"Mostaql benchmark, {timezone.now():%Y-%m-%d}, {os.cpu_count()} cores, PostgreSQL "
            f"{connection.pg_version // 10000}, database {connection.settings_dict['NAME']!r}"
        )
        out(
            f"Data: {counts['projects']:,} projects ({counts['open']:,} open), {counts['offers']:,} offers, "
            f"{counts['users']:,} users"
            + (
                f"; generated in {generation['total_seconds']:.0f}s "
                f"(rows {generation['write_seconds']:.0f}s, then VACUUM ANALYZE)"
                if generation.get("generated")
                else "; generated by an earlier run"
            )
        )
        for label, watch in (
            ("server times", self.others_times),
            ("throughput", getattr(self, "others_load", None)),
        ):
            if watch is not None and watch.share is not None:
                out(
                    f"Other processes on this machine used {watch.share:.0%} of its CPU during the {label} "
                    "(anything far above 0% lowers those figures)"
                )
        out("")
        out(f"Server times, in-process, {options['requests']} requests a page (goal: p95 < {GOAL_P95_MS} ms)")
        out(f"  {'page':<58} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}  goal")
        for result in server_times:
            if "error" in result:
                out(f"  {result['label']:<58} FAILED: {result['error'][:60]}")
                continue
            verdict = "met" if result["p95"] < GOAL_P95_MS else "MISSED"
            out(
                f"  {result['label']:<58} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                f"{result['queries']:>4}  {verdict}"
            )
        if throughput:
            ceiling = throughput["fixed"]["rps"] or 1
            ratio, missed_ratio = (
                throughput["list"]["rps"] / ceiling,
                throughput["list_missed"]["rps"] / ceiling,
            )
            out("")
            out(
                f"Throughput under gunicorn, {throughput['workers']} sync workers "
                f"({throughput['chosen_by']}), {options['duration']:.0f}s each, {throughput['tool']}"
            )
            verdict = "met" if ratio >= GOAL_RATIO else "MISSED"
            rows = [
                ("fixed 200-byte view (the ceiling)", throughput["fixed"]["rps"], ""),
                (
                    "/projects/ (anonymous)",
                    throughput["list"]["rps"],
                    f"= {ratio:.0%} of the ceiling (goal {GOAL_RATIO:.0%}: {verdict})",
                ),
                (
                    "/projects/ with the cache missed",
                    throughput["list_missed"]["rps"],
                    f"= {missed_ratio:.0%} of the ceiling (a new page parameter each time)",
                ),
            ]
            for label, rps, note in rows:
                out(f"  {label:<40} {rps:>8,.0f} requests/s  {note}")
        out("=" * 78)


class _OtherCpu:
    """CPU time that processes other than this benchmark used while a block ran, as a share of the
    machine (Linux /proc). This command, its children (gunicorn, wrk) and PostgreSQL are left out."""

    def __enter__(self) -> "_OtherCpu":
        self.share = None
        try:
            self.start = self._snapshot()
        except (OSError, ValueError, IndexError):
            self.start = None
        return self

    def __exit__(self, *exc) -> None:
        if self.start is None:
            return
        try:
            (total_end, others_end) = self._snapshot()
        except (OSError, ValueError, IndexError):
            return
        total_start, others_start = self.start
        used = sum(ticks - others_start.get(pid, 0) for pid, ticks in others_end.items())
        self.share = max(0.0, used / max(1, total_end - total_start))

    @staticmethod
    def _snapshot() -> tuple[int, dict[int, int]]:
        with open("/proc/stat") as stat:
            total = sum(int(value) for value in stat.readline().split()[1:])
        processes = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    text = stat.read()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text[text.rindex(")") + 2 :].split()
            processes[int(entry.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
        ours, changed = {os.getpid()}, True
        while changed:
            grown = {pid for pid, (_, parent, _) in processes.items() if parent in ours} | ours
            changed, ours = grown != ours, grown
        others = {
            pid: ticks
            for pid, (name, _, ticks) in processes.items()
            if pid not in ours and not name.startswith("postgres")
        }
        return total, others


class _Gunicorn:
    """gunicorn serving config.wsgi with sync workers on a free loopback port, for one block."""

    def __init__(self, base_dir: Path, env: dict, workers: int):
        self.base_dir, self.env, self.workers = base_dir, env, workers
        self.port = _free_port()
        self.process = None

    def __enter__(self) -> "_Gunicorn":
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            cwd=self.base_dir,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline, status = time.monotonic() + 60, None
        while status is None:
            if self.process.poll() is not None:
                self._fail("gunicorn exited at start")
            if time.monotonic() > deadline:
                self._fail("gunicorn did not answer within 60s")
            time.sleep(0.2)
            status = _get_status(self.port, "/bench/fixed/")
        for path in ("/bench/fixed/", "/projects/"):
            status = _get_status(self.port, path)
            if status != 200:
                self._fail(f"gunicorn answered {path} with {status}")
        for path in ("/projects/", "/bench/fixed/") * (4 * self.workers):  # every worker warm
            _get_status(self.port, path)
        return self

    def _fail(self, message: str) -> None:
        self.log.seek(0)
        log = self.log.read().decode(errors="replace")[-3000:]
        self.__exit__(None, None, None)
        raise CommandError(f"{message}; its log ends with:\n{log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _get_status(port: int, path: str) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(_request(port, path, keep_alive=False))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return int(data.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        return None


def _rate(runs: list[dict]) -> dict:
    seconds = sum(run["seconds"] for run in runs)
    return {
        "rps": sum(run["good"] for run in runs) / seconds if seconds else 0.0,
        "errors": sum(run["errors"] for run in runs),
    }


def _load(wrk: str | None, port: int, path: str, duration: float, workers: int) -> dict:
    """Load `path` for `duration` seconds: {good, errors, seconds}. In the path, {token} becomes a new
    random word and {n} a counter, so that every request of every call has a query string of its own."""
    path = path.replace("{token}", secrets.token_hex(4))
    connections = 2 * workers
    if wrk:
        command = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s"]
        command += ["-H", f"{FORWARDED_HTTPS[0]}: {FORWARDED_HTTPS[1]}"]
        prefix = path.split("{n}")[0]
        with tempfile.TemporaryDirectory() as folder:
            if "{n}" in path:  # a counter in the query string, from a wrk script
                script = Path(folder) / "counter.lua"
                script.write_text(
                    "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                    f'  return wrk.format(nil, "{prefix}" .. counter)\nend\n'
                )
                command += ["-s", str(script)]
            command.append(f"http://127.0.0.1:{port}{prefix}")
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        match = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", output)
        total, amount, unit = int(match.group(1)), float(match.group(2)), match.group(3)
        seconds = amount / 1000 if unit == "ms" else amount * 60 if unit == "m" else amount
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        errors = int(errors.group(1)) if errors else 0
        return {"good": total - errors, "errors": errors, "seconds": seconds}
    processes = 2
    started = time.monotonic()
    deadline = started + duration
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(
            _python_load_worker, [(port, [path], deadline, index * 10_000_000) for index in range(processes)]
        )
    return {
        "good": sum(part[0] for part in parts),
        "errors": sum(part[1] for part in parts),
        "seconds": time.monotonic() - started,
    }
