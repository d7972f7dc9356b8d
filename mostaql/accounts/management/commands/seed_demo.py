"""Arabic demo data for development and demos: safe to run twice, refused in production."""

import datetime
import io
import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from PIL import Image, ImageDraw

from mostaql.accounts import services
from mostaql.accounts.models import User
from mostaql.accounts.security import has_totp
from mostaql.catalog.models import Skill
from mostaql.core.uploads import clean_image
from mostaql.messaging.demo import load_demo_conversations
from mostaql.projects.demo import load_demo_projects
from mostaql.reports.demo import load_demo_reports
from mostaql.reviews.demo import load_demo_reviews

DEMO_PASSWORD = "demo12345"
# The demo moderator's TOTP secret: staff sign in with a second factor, demo or not. It is public (put
# it in any authenticator app, or run `manage.py demo_totp` for the current code), like the password.
DEMO_MODERATOR_TOTP_SECRET = "MOSTAQLDEMOMODERATORTOTP234567AB"
DEMO_MODERATOR = "moderator@demo.test"

# (e-mail, name, role, title, country, skill slugs, hourly rate in dollars, bio)
PEOPLE = [
    (
        "client@demo.test",
        "سارة العتيبي",
        "client",
        "مديرة متجر إلكتروني",
        "SA",
        [],
        None,
        "أدير متجراً إلكترونياً للعطور في الرياض، وأبحث دائماً عن مستقلين محترفين في التصميم والتسويق.",
    ),
    (
        "freelancer@demo.test",
        "أحمد منصور",
        "freelancer",
        "مطور ويب متكامل (Django و React)",
        "EG",
        ["python", "django", "react", "javascript", "apis", "databases"],
        25,
        "مطور برمجيات بخبرة ثماني سنوات في بناء المواقع والتطبيقات. أهتم بجودة الشيفرة والاختبارات "
        "والتواصل الواضح مع العميل في كل مرحلة.",
    ),
    (
        "moderator@demo.test",
        "فريق الإشراف",
        "client",
        "مشرف المنصة",
        "JO",
        [],
        None,
        "حساب فريق الإشراف على مستقل.",
    ),
    (
        "client2@demo.test",
        "خالد الزهراني",
        "client",
        "مؤسس شركة ناشئة",
        "AE",
        [],
        None,
        "أسست شركة ناشئة في مجال التعليم الإلكتروني، ونحتاج إلى مطورين ومصممين ومترجمين.",
    ),
    ("client3@demo.test", "ريم الحسيني", "client", "مديرة تسويق", "KW", [], None, ""),
    (
        "layla@demo.test",
        "ليلى الشامي",
        "freelancer",
        "مصممة هويات بصرية وشعارات",
        "SY",
        ["logo-design", "brand-identity", "graphic-design", "illustrator", "photoshop"],
        20,
        "مصممة جرافيك أحب تحويل الأفكار إلى هويات بصرية تعيش طويلاً. "
        "عملت مع أكثر من خمسين علامة تجارية عربية.",
    ),
    (
        "omar@demo.test",
        "عمر بن علي",
        "freelancer",
        "مُبَرمِج تطبيقات جوال بفلاتر",
        "TN",
        ["flutter", "mobile-apps", "apis"],
        30,
        "أبني تطبيقات أندرويد وآيفون سريعة وجميلة بفلاتر، من الفكرة حتى النشر في المتاجر.",
    ),
    (
        "mona@demo.test",
        "منى إبراهيم",
        "freelancer",
        "مترجمة ومدققة لغوية",
        "MA",
        ["translation-en-ar", "translation-ar-en", "proofreading", "content-writing"],
        15,
        "مترجمة معتمدة بين العربية والإنجليزية والفرنسية، متخصصة في الترجمة التقنية والتسويقية.",
    ),
    (
        "youssef@demo.test",
        "يوسف القحطاني",
        "freelancer",
        "خبير تسويق إلكتروني وإعلانات ممولة",
        "SA",
        ["digital-marketing", "google-ads", "facebook-ads", "seo", "social-media-marketing"],
        35,
        "أساعد المتاجر على مضاعفة مبيعاتها بحملات مدروسة وتقارير أسبوعية واضحة.",
    ),
    (
        "hind@demo.test",
        "هند الفاسي",
        "freelancer",
        "كاتبة محتوى ومقالات",
        "MA",
        ["content-writing", "article-writing", "seo-writing", "copywriting"],
        12,
        "أكتب محتوى عربياً أصيلاً يجذب القارئ ويتصدر نتائج البحث.",
    ),
    (
        "karim@demo.test",
        "كريم حداد",
        "freelancer",
        "مهندس معماري ومصمم ديكور داخلي",
        "LB",
        ["autocad", "revit", "interior-design", "3d-modeling", "3ds-max"],
        40,
        "مهندس معماري بخبرة عشر سنوات في التصميم الداخلي والإظهار المعماري ثلاثي الأبعاد.",
    ),
    (
        "nour@demo.test",
        "نور الهدى سالم",
        "freelancer",
        "مونتاج فيديو وموشن جرافيك",
        "JO",
        ["video-editing", "motion-graphics", "after-effects", "whiteboard-animation"],
        18,
        "أصنع فيديوهات قصيرة تشرح منتجك في أقل من دقيقة.",
    ),
    (
        "samir@demo.test",
        "سمير التونسي",
        "freelancer",
        "محاسب ومحلل مالي",
        "DZ",
        ["accounting", "financial-analysis", "excel", "feasibility-studies", "business-plans"],
        22,
        "أعد دراسات الجدوى وخطط العمل والقوائم المالية للشركات الصغيرة والمتوسطة.",
    ),
    # More people for the demo projects (mostaql.projects.demo): clients, and bidders in every category.
    (
        "client4@demo.test",
        "عبد الله المطيري",
        "client",
        "صاحب مطعم ومقهى",
        "QA",
        [],
        None,
        "أدير مطعمين في الدوحة وأجهز لافتتاح مقهى مختص، وأستعين بالمستقلين في التسويق والتصميم.",
    ),
    (
        "client5@demo.test",
        "مريم الكعبي",
        "client",
        "مديرة مركز تدريب",
        "OM",
        [],
        None,
        "أدير مركزاً للتدريب والتطوير المهني في مسقط، ونعد برامج تدريبية وكتباً للأطفال.",
    ),
    (
        "client6@demo.test",
        "فيصل الدوسري",
        "client",
        "مطور عقاري",
        "BH",
        [],
        None,
        "شركتنا تطور وتسوق مشاريع سكنية في البحرين.",
    ),
    ("client7@demo.test", "نواف العنزي", "client", "طالب جامعي", "KW", [], None, ""),
    (
        "tarek@demo.test",
        "طارق الخطيب",
        "freelancer",
        "مطور ووردبريس وووكومرس",
        "EG",
        ["wordpress", "php", "laravel", "web-development", "databases"],
        20,
        "أبني المتاجر والمواقع على ووردبريس ولارافيل منذ سبع سنوات، وأهتم بالسرعة والأمان.",
    ),
    (
        "salma@demo.test",
        "سلمى عبد الرحمن",
        "freelancer",
        "مصممة واجهات وتصاميم سوشيال ميديا",
        "PS",
        ["ui-ux", "social-media-design", "graphic-design", "photoshop", "print-design", "illustration"],
        18,
        "أصمم واجهات التطبيقات وتصاميم التواصل الاجتماعي والمطبوعات، وأرسم للأطفال.",
    ),
    (
        "bilal@demo.test",
        "بلال العمري",
        "freelancer",
        "مساعد افتراضي وإدخال بيانات",
        "YE",
        ["data-entry", "virtual-assistant", "spreadsheets", "excel", "typing", "pdf-conversion"],
        8,
        "دقيق وسريع في إدخال البيانات وتنظيم الجداول والبريد، وملتزم بالمواعيد.",
    ),
    (
        "aisha@demo.test",
        "عائشة الطيب",
        "freelancer",
        "معلمة لغة عربية لغير الناطقين بها",
        "SD",
        ["arabic-teaching", "quran-teaching", "online-tutoring", "course-design", "presentations"],
        10,
        "أدرّس العربية لغير الناطقين بها عن بعد منذ تسع سنوات، لطلاب من أكثر من عشرين بلداً.",
    ),
    (
        "hassan@demo.test",
        "حسن الجبوري",
        "freelancer",
        "معلق صوتي ومهندس صوت",
        "IQ",
        ["voice-over", "audio-production", "podcast-editing", "video-editing"],
        20,
        "معلق صوتي بالفصحى واللهجات، أسجل في استوديو خاص وأحرر البودكاست.",
    ),
    (
        "rania@demo.test",
        "رانيا فؤاد",
        "freelancer",
        "مترجمة تقنية وكاتبة محتوى",
        "EG",
        ["translation-en-ar", "translation-ar-en", "subtitles", "technical-writing", "english-teaching"],
        14,
        "أترجم وأكتب بين العربية والإنجليزية، وأعد ملفات الترجمة للفيديو.",
    ),
    (
        "majed@demo.test",
        "ماجد الشمري",
        "freelancer",
        "مهندس معماري وإنشائي",
        "SA",
        ["autocad", "revit", "architectural-design", "structural-engineering", "3d-modeling"],
        30,
        "مهندس معماري وإنشائي بخبرة اثنتي عشرة سنة في الفلل والمباني التجارية في الخليج.",
    ),
    (
        "nader@demo.test",
        "نادر السيد",
        "freelancer",
        "مستشار تسويق وأعمال",
        "EG",
        ["digital-marketing", "market-research", "business-plans", "human-resources", "google-ads"],
        25,
        "أساعد الشركات الصغيرة على فهم سوقها وبناء خططها التسويقية والإدارية.",
    ),
]

PORTFOLIO = {
    "freelancer@demo.test": [
        (
            "منصة حجز مواعيد للعيادات",
            "نظام حجز متكامل بجانغو يخدم عشرين عيادة، مع تذكير بالرسائل النصية ولوحة تحكم للأطباء.",
            "https://example.com/clinic",
            ["django", "python", "databases"],
            3,
        ),
        (
            "متجر إلكتروني بواجهة رياكت",
            "واجهة متجر سريعة بتقنية React مرتبطة بواجهة برمجية، مع دعم كامل للعربية والدفع الإلكتروني.",
            "",
            ["react", "javascript", "apis"],
            2,
        ),
    ],
    "layla@demo.test": [
        (
            "هوية بصرية لمقهى «بُن»",
            "شعار وألوان وخطوط ومطبوعات لمقهى مختص في عمّان.",
            "",
            ["logo-design", "brand-identity"],
            3,
        ),
        (
            "شعارات لعشر شركات ناشئة",
            "مجموعة مختارة من الشعارات التي صممتها خلال العام الماضي.",
            "",
            ["logo-design"],
            2,
        ),
    ],
    "omar@demo.test": [
        (
            "تطبيق توصيل طلبات",
            "تطبيق فلاتر للعملاء والسائقين مع تتبع مباشر للطلب على الخريطة.",
            "",
            ["flutter", "mobile-apps"],
            2,
        ),
    ],
    "karim@demo.test": [
        (
            "تصميم داخلي لشقة سكنية",
            "تصميم وإظهار ثلاثي الأبعاد لشقة من ثلاث غرف بطابع عصري دافئ.",
            "",
            ["interior-design", "3ds-max"],
            3,
        ),
    ],
}

PALETTES = [
    ("#0f766e", "#99f6e4"),
    ("#7c3aed", "#ddd6fe"),
    ("#b45309", "#fde68a"),
    ("#be123c", "#fecdd3"),
    ("#1d4ed8", "#bfdbfe"),
    ("#15803d", "#bbf7d0"),
]


def _picture(seed: int, size: tuple[int, int]) -> SimpleUploadedFile:
    """An abstract picture drawn here, so the demo ships no binary files and needs no network."""
    rng = random.Random(seed)
    dark, light = rng.choice(PALETTES)
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(7):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(width // 10, width // 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([dark, "#ffffff", light]))
    draw.rectangle((0, height * 3 // 4, width, height), fill=dark)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"demo-{seed}.png", buffer.getvalue(), content_type="image/png")


class Command(BaseCommand):
    help = "Load Arabic demo accounts, profiles and portfolios. Safe to run twice; refused with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: refusing to run with DEBUG off.")
        created = 0
        for index, person in enumerate(PEOPLE):
            with transaction.atomic():
                created += self._person(index, *person)
        moderator = User.objects.filter(email=DEMO_MODERATOR).first()
        if moderator is not None and not has_totp(moderator):  # also for demo data loaded before 2FA
            services.enroll_totp(user=moderator, secret=DEMO_MODERATOR_TOTP_SECRET)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new accounts)."))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            projects = load_demo_projects()  # keeps the dozens of e-mails it causes off the console
            conversations = load_demo_conversations()
            reviews = load_demo_reviews()
            reports = load_demo_reports()
        self.stdout.write(self.style.SUCCESS(f"Demo projects ready ({projects} new projects)."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo conversations, reviews and reports ready "
                f"({conversations}, {reviews} and {reports} new)."
            )
        )
        self.stdout.write(
            "Demo logins (password: demo12345):\n"
            "  client@demo.test      — a client: money in the wallet, a delivery to accept\n"
            "  freelancer@demo.test  — a freelancer: contracts in progress, earnings, withdrawals\n"
            "  moderator@demo.test   — a moderator (staff, /admin/, /staff/disputes/, /staff/identity/,"
            " /staff/finance/)\n"
            f"  the moderator signs in with a second factor: TOTP secret {DEMO_MODERATOR_TOTP_SECRET}\n"
            "  (add it to an authenticator app, or run `.venv/bin/python manage.py demo_totp` for the code)"
        )

    def _person(self, index, email, name, role, title, country, skill_slugs, rate, bio) -> int:
        if User.objects.filter(email=email).exists():
            return 0
        is_moderator = email.startswith("moderator@")
        user = User.objects.create_user(
            email=email, name=name, password=DEMO_PASSWORD, is_staff=is_moderator, is_superuser=is_moderator
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        services.register_user(user=user, name=name, primary_role=role)
        services.update_profile(
            user=user,
            name=name,
            primary_role=role,
            title=title,
            bio=bio,
            country=country,
            skills=Skill.objects.filter(slug__in=skill_slugs),
            hourly_rate_cents=rate * 100 if rate else None,
            avatar=clean_image(_picture(index, (256, 256))) if role == "freelancer" else None,
        )
        for number, (item_title, description, link, skills, image_count) in enumerate(
            PORTFOLIO.get(email, [])
        ):
            services.create_portfolio_item(
                owner=user,
                title=item_title,
                description=description,
                link=link,
                skills=Skill.objects.filter(slug__in=skills),
                completed_on=datetime.date(2026, 1 + (index + number) % 10, 15),
                images=[
                    clean_image(_picture(index * 100 + number * 10 + i, (1200, 900)))
                    for i in range(image_count)
                ],
            )
        return 1
