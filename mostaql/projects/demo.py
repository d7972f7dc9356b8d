"""Arabic demo projects, offers, contracts and wallets, loaded by the seed_demo command: safe to run twice.

Every change of state goes through the services (post, approve, reject, close, bid, hire, decline; fund,
deliver, ask for changes, accept, cancel, dispute, decide; deposit, clear, verify, withdraw, pay), so the
demo obeys the same rules as the site. Money enters only as the sandbox gateway's signed webhook, and
the ledger's audit must be clean at the end or nothing is kept. Only timestamps are moved afterwards,
to spread the story over the last few weeks so that ages, deadlines and statements look real.

Money is moved in the order it happened, across all projects (a Timeline), so each entry's running
balance on a statement reads right; before each moment, the clearance sweep runs as the real one would.
"""

import datetime
import io
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract, ContractEvent
from mostaql.core.uploads import CleanFile, clean_deliverable, clean_file
from mostaql.projects import services
from mostaql.projects.models import Budget, Offer, Project, ProjectEvent
from mostaql.wallet import ledger, webhooks
from mostaql.wallet import services as wallet
from mostaql.wallet.gateways.sandbox import DECLINED_CARD, SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import (
    Deposit,
    IdentityVerification,
    PendingEarning,
    Withdrawal,
)

# The demo's projects exist once this client owns any project: the second run creates nothing.
MARKER_OWNER = "client@demo.test"
MODERATOR = "moderator@demo.test"

# Where the demo leaves a project. REOPENED is open again after the hired freelancer declined;
# a CLOSED project without offers is closed by its owner while still waiting for review.
# IN_PROGRESS, COMPLETED and CANCELLED projects were hired and funded; their story says the rest.
PENDING, OPEN, REJECTED, CLOSED, HIRING, REOPENED = (
    "pending",
    "open",
    "rejected",
    "closed",
    "hiring",
    "reopened",
)
IN_PROGRESS, COMPLETED, CANCELLED = (
    Project.Status.IN_PROGRESS,
    Project.Status.COMPLETED,
    Project.Status.CANCELLED,
)
STORY_STATES = (IN_PROGRESS, COMPLETED, CANCELLED)


def _text(text: str) -> str:
    """Texts are wrapped here to fit the line length; each is stored as one paragraph."""
    return " ".join(text.split())


class Step(NamedTuple):
    """One move of a hired project's contract, `age` days ago.

    action: hire, fund, deliver, request_changes, accept, propose_cancel, accept_cancel, open_dispute,
    decide. `by` ("client" or "freelancer") says who proposes or answers a cancellation, or opens a
    dispute; `share` is the freelancer's share in dollars when a moderator decides; `files` are the
    names of the attachments of a delivery, drawn here (.pdf or .jpg).
    """

    action: str
    age: float
    text: str = ""
    by: str = ""
    share: int = 0
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoProject:
    owner: str
    category: str
    title: str
    description: str
    skills: tuple[str, ...]
    budget: str
    duration: int
    age: float  # days since the owner posted it
    state: str = OPEN
    # (freelancer's e-mail, amount in dollars, duration in days, text), in the order they arrived.
    offers: tuple[tuple[str, int, int, str], ...] = ()
    hire: str = ""  # the hired freelancer (HIRING, REOPENED and the story states)
    note: str = ""  # the moderator's reason (REJECTED) or the freelancer's reason to decline (REOPENED)
    story: tuple[Step, ...] = ()  # IN_PROGRESS, COMPLETED, CANCELLED: from the hire on, oldest first


PROJECTS = [
    # --- Programming & Development
    DemoProject(
        owner="client@demo.test",
        category="programming",
        title="برمجة متجر إلكتروني بووكومرس لبيع العطور",
        description=_text("""
            أملك متجراً للعطور في الرياض وأريد نقله إلى متجر إلكتروني على ووردبريس وووكومرس. المطلوب
            تثبيت القالب وتعريبه بالكامل، ورفع نحو 120 منتجاً مع خصائص الحجم والتركيز، وربط بوابة الدفع
            (مدى وApple Pay) وشركة الشحن. أغلب زبائني يشترون من الجوال، لذلك أريد متجراً سريعاً عليه.
            التسليم يشمل فيديو قصيراً يشرح إدارة الطلبات والمنتجات.
        """),
        skills=("wordpress", "php", "web-development", "ecommerce"),
        budget=Budget.B500_1000,
        duration=21,
        age=9,
        state=HIRING,
        hire="tarek@demo.test",
        offers=(
            (
                "tarek@demo.test",
                750,
                18,
                _text("""
                    السلام عليكم أستاذة سارة، نفذت أكثر من ثلاثين متجراً بووكومرس، منها متجران للعطور
                    والبخور. أبدأ بتجهيز القالب وتعريبه، ثم أرفع المنتجات بخصائصها من ملف إكسل ترسلينه،
                    وأربط مدى وApple Pay وأجرب الدفع فعلياً قبل الإطلاق. التسليم خلال 18 يوماً مع فيديو
                    يشرح لوحة التحكم.
                """),
            ),
            (
                "freelancer@demo.test",
                950,
                21,
                _text("""
                    أهلاً بك، أعمل أساساً بجانغو لكن لدي خبرة جيدة في ووكومرس وفي تسريع مواقع ووردبريس.
                    أقترح قالباً خفيفاً مع تخزين مؤقت وضغط للصور حتى يفتح المتجر في أقل من ثانيتين على
                    الجوال. السعر يشمل ربط الدفع والشحن وشهراً من الدعم بعد التسليم.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="programming",
        title="تطوير تطبيق جوال لمنصة تعليمية بفلاتر",
        description=_text("""
            نحن شركة ناشئة في التعليم الإلكتروني، ولدينا منصة ويب تعمل وواجهة برمجية جاهزة. نحتاج تطبيقاً
            لأندرويد وآيفون بفلاتر يعرض الدورات ويشغل الفيديو ويتيح الشراء داخل التطبيق وتنزيل الدروس
            لمشاهدتها دون اتصال. التصاميم جاهزة على فيجما. المطلوب تسليم الشيفرة كاملة على مستودعنا ونشر
            التطبيق في المتجرين.
        """),
        skills=("flutter", "mobile-apps", "apis"),
        budget=Budget.B2500_5000,
        duration=60,
        age=3,
        offers=(
            (
                "omar@demo.test",
                3800,
                55,
                _text("""
                    مرحباً أستاذ خالد، بنيت تطبيقين تعليميين بفلاتر، أحدهما يخدم أكثر من 40 ألف مستخدم،
                    وفيه تشغيل فيديو محمي وتنزيل للمشاهدة دون اتصال. أقسم العمل إلى أربع مراحل، وتستلم في
                    نهاية كل مرحلة نسخة تجريبية على TestFlight وGoogle Play. أحتاج فقط صلاحية على فيجما
                    وتوثيق الواجهة البرمجية.
                """),
            ),
            (
                "freelancer@demo.test",
                4500,
                60,
                _text("""
                    أهلاً، أنا مطور ويب متكامل وأعمل بفلاتر منذ ثلاث سنوات. ميزتي أنني أستطيع تعديل
                    الواجهة البرمجية لديكم إن احتاج التطبيق إلى نقاط جديدة، كالتنزيل المؤقت أو إشعارات
                    الدروس. أقترح أسبوعاً أول لمراجعة التصاميم والواجهة، ثم نتفق على جدول التسليم.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="programming",
        title="ربط نماذج موقع ووردبريس بنظام HubSpot لإدارة العملاء",
        description=_text("""
            موقع شركتنا مبني على ووردبريس وفيه ثلاثة نماذج: التواصل، وطلب عرض سعر، والاشتراك في النشرة.
            نريد أن تصل بيانات كل نموذج تلقائياً إلى HubSpot مع مصدر الزيارة، وأن يصل إشعار فوري لفريق
            المبيعات. لا نريد إضافات مدفوعة إن أمكن. يرجى ذكر تجارب مشابهة في العرض.
        """),
        skills=("wordpress", "apis", "php"),
        budget=Budget.B100_250,
        duration=5,
        age=1.5,
        offers=(
            (
                "tarek@demo.test",
                180,
                4,
                _text("""
                    أهلاً أستاذة ريم، نفذت هذا الربط نفسه لشركتين عبر واجهة HubSpot البرمجية مباشرة دون
                    إضافات مدفوعة. أكتب إضافة صغيرة خاصة بكم تلتقط النماذج الثلاثة وترسلها مع بيانات UTM،
                    وأجرب كل نموذج أمامك قبل التسليم. المدة أربعة أيام.
                """),
            ),
            (
                "freelancer@demo.test",
                220,
                5,
                _text("""
                    مرحباً، أعمل يومياً مع الواجهات البرمجية وربطت مواقع كثيرة بأنظمة CRM منها HubSpot
                    وZoho. سأضيف سجلاً يحفظ أي إرسال فشل ويعيد المحاولة تلقائياً حتى لا يضيع أي عميل
                    محتمل. التسليم خلال خمسة أيام مع شرح مكتوب.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client4@demo.test",
        category="programming",
        title="نظام حجز طاولات أونلاين لمطعم مع لوحة تحكم للموظفين",
        description=_text("""
            نملك مطعمين في الدوحة ونريد نظام حجز طاولات على موقعنا: يختار الزبون الفرع والتاريخ وعدد
            الأشخاص ويستلم تأكيداً برسالة نصية، ويرى الموظف الحجوزات في لوحة تحكم بسيطة على جهاز لوحي.
            نحتاج أيضاً تقريراً أسبوعياً بعدد الحجوزات وساعات الذروة. الأفضلية لمن نفذ أنظمة حجز مشابهة.
        """),
        skills=("django", "python", "react", "databases"),
        budget=Budget.B1000_2500,
        duration=30,
        age=0.08,
        state=PENDING,
    ),
    # --- Design
    DemoProject(
        owner="client@demo.test",
        category="design",
        title="مطلوب تصميم شعار لمتجر عطور",
        description=_text("""
            أطلق قريباً متجراً إلكترونياً للعطور الشرقية باسم «عبق». أريد شعاراً أنيقاً يجمع بين الخط
            العربي ولمسة عصرية، ويصلح للطباعة على العلب الصغيرة وللظهور في أيقونة إنستغرام. المطلوب ثلاثة
            مقترحات أولية، وجولتا تعديل، وتسليم الملفات المفتوحة (AI وSVG وPNG) مع دليل مختصر للألوان
            والخطوط.
        """),
        skills=("logo-design", "brand-identity", "illustrator"),
        budget=Budget.B100_250,
        duration=7,
        age=0.3,
        offers=(
            (
                "layla@demo.test",
                200,
                6,
                _text("""
                    مرحباً سارة، اسم «عبق» جميل ويفتح مجالاً واسعاً للعب بالخط العربي. صممت هويات لثلاثة
                    متاجر عطور وبخور وسأرسل لك نماذج منها. أقدم ثلاثة مقترحات خلال ثلاثة أيام، ثم جولتي
                    تعديل، وأسلم الملفات المفتوحة ودليل الألوان في اليوم السادس.
                """),
            ),
            (
                "salma@demo.test",
                150,
                5,
                _text("""
                    أهلاً، أصمم الشعارات والهويات منذ خمس سنوات، وأحب المشاريع التي تمزج الخط العربي
                    بالتصميم الحديث. أبدأ بلوحة إلهام قصيرة نتفق عليها، ثم ثلاثة مقترحات مختلفة فعلاً لا
                    تنويعات على فكرة واحدة، وأسلم كل الصيغ مع نسخة مخصصة لأيقونة إنستغرام.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="design",
        title="تصميم واجهات تطبيق تعليمي للأطفال (UI/UX)",
        description=_text("""
            نعمل على تطبيق لتعليم الحروف والأرقام للأطفال من 4 إلى 7 سنوات. نحتاج تصميم نحو 25 شاشة على
            فيجما: الترحيب، واختيار الطفل، والدروس، والألعاب، والمكافآت، ولوحة ولي الأمر، مع نظام مكونات
            قابل لإعادة الاستخدام. نريد شخصيات مرسومة بسيطة وألواناً مريحة للعين، ونموذجاً تفاعلياً نختبره
            مع الأهالي قبل البرمجة.
        """),
        skills=("ui-ux", "illustration", "graphic-design"),
        budget=Budget.B1000_2500,
        duration=25,
        age=6,
        offers=(
            (
                "salma@demo.test",
                1400,
                21,
                _text("""
                    مرحباً، صممت تطبيقين للأطفال، أحدهما لتحفيظ القرآن والآخر للرياضيات، وأعرف أن الطفل
                    يحتاج أزراراً كبيرة واستجابة فورية لكل لمسة. أبدأ بخريطة الرحلة وشاشات أولية نتفق
                    عليها، ثم التصميم النهائي مع الشخصيات ونظام المكونات، ونموذجاً تفاعلياً جاهزاً للاختبار.
                """),
            ),
            (
                "layla@demo.test",
                1800,
                25,
                _text("""
                    أهلاً أستاذ خالد، أرسم الشخصيات بنفسي، وهذا يعطي التطبيق هوية متماسكة من الشعار حتى
                    شاشة المكافآت. أقترح ثلاث شخصيات ترافق الطفل في رحلته، وأسلم الشاشات مع ملف مكونات
                    منظم ورسوم بصيغة SVG جاهزة للمبرمج.
                """),
            ),
            (
                "omar@demo.test",
                1100,
                20,
                _text("""
                    مرحباً، أنا مطور فلاتر وأصمم واجهات التطبيقات التي أبرمجها منذ سنوات، لذلك تأتي
                    التصاميم قابلة للتنفيذ كما هي دون مفاجآت. وإن رغبتم أتولى البرمجة لاحقاً أيضاً، فيوفر
                    ذلك عليكم وقت التسليم بين فريقين.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="design",
        title="30 تصميماً لحسابات التواصل الاجتماعي لعلامة مستحضرات تجميل",
        description=_text("""
            نبحث عن مصمم أو مصممة لإعداد 30 تصميماً لإنستغرام وسناب شات لعلامة مستحضرات تجميل طبيعية:
            منشورات منتجات وعروض واقتباسات، بمقاسي المنشور والقصة. الهوية البصرية جاهزة، وسنرسل الصور
            والنصوص أسبوعياً. نريد أسلوباً هادئاً راقياً بعيداً عن الازدحام.
        """),
        skills=("social-media-design", "photoshop", "graphic-design"),
        budget=Budget.B250_500,
        duration=30,
        age=20,
        state=CLOSED,
        offers=(
            (
                "salma@demo.test",
                380,
                30,
                _text("""
                    أهلاً أستاذة ريم، أدير تصاميم ثلاث علامات تجميل على إنستغرام حالياً، وأستطيع إرسال
                    نماذج منها. أسلم التصاميم على دفعات أسبوعية بمقاسي المنشور والقصة، مع قالب قابل
                    للتعديل على كانفا لكل نوع من المنشورات.
                """),
            ),
            (
                "layla@demo.test",
                450,
                30,
                _text("""
                    مرحباً، الأسلوب الهادئ الذي تصفينه هو ما أحب العمل عليه. أقترح أن نبدأ بستة تصاميم
                    تجريبية نضبط بها الاتجاه البصري، ثم أكمل الباقي على دفعات. كل التصاميم تصلك بملفات
                    مفتوحة.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client5@demo.test",
        category="design",
        title="رسم 12 لوحة توضيحية لقصة أطفال عن النظافة",
        description=_text("""
            نعد قصة مصورة للأطفال بعنوان «سلمى تحب النظافة» من 12 صفحة، والنص جاهز. نحتاج رساماً أو رسامة
            لرسم لوحة لكل صفحة بأسلوب رقمي دافئ وشخصيات متسقة من أول الكتاب إلى آخره، مع غلاف أمامي وخلفي.
            المقاس 21×21 سم بدقة طباعة 300 نقطة، ونريد رؤية رسم أولي للشخصية الرئيسية قبل البدء.
        """),
        skills=("illustration", "print-design"),
        budget=Budget.B500_1000,
        duration=30,
        age=12,
        offers=(
            (
                "layla@demo.test",
                650,
                28,
                _text("""
                    مرحباً أستاذة مريم، رسمت قصتين للأطفال نشرتهما دار نشر في عمّان، وأهتم كثيراً بثبات
                    ملامح الشخصية في كل صفحة. أرسل لك ثلاثة رسوم أولية لسلمى خلال يومين، ثم لوحتين كل
                    ثلاثة أيام، والغلاف في النهاية بملفات جاهزة للمطبعة.
                """),
            ),
            (
                "salma@demo.test",
                480,
                30,
                _text("""
                    أهلاً، أرسم للأطفال بأسلوب رقمي ناعم بألوان دافئة، ويمكنك رؤية أعمالي في ملفي. أبدأ
                    بالشخصية الرئيسية ولوحة ألوان الكتاب، ثم أرسل الرسوم المبدئية للصفحات كلها قبل
                    التلوين حتى نعتمد التكوين مبكراً.
                """),
            ),
        ),
    ),
    # --- Writing & Translation
    DemoProject(
        owner="client2@demo.test",
        category="writing-translation",
        title="ترجمة دليل استخدام من الإنجليزية إلى العربية",
        description=_text("""
            لدينا دليل استخدام لمنصتنا التعليمية بالإنجليزية في نحو 9,000 كلمة، موجه إلى المعلمين ومديري
            المدارس. نحتاج ترجمة عربية فصيحة سلسة تحافظ على المصطلحات التقنية وتوحدها في مسرد، مع الإبقاء
            على تنسيق ملف Word والصور كما هي. سنطلب ترجمة عينة من 500 كلمة قبل إكمال العمل.
        """),
        skills=("translation-en-ar", "technical-writing", "proofreading"),
        budget=Budget.B250_500,
        duration=10,
        age=14,
        state=HIRING,
        hire="mona@demo.test",
        offers=(
            (
                "mona@demo.test",
                420,
                8,
                _text("""
                    مرحباً أستاذ خالد، ترجمت أدلة استخدام لثلاث منصات تعليمية وأنظمة إدارة تعلم، وأبني
                    مسرداً للمصطلحات قبل البدء وأرسله لكم للاعتماد. أسلم العينة خلال يوم، والدليل كاملاً
                    بتنسيقه الأصلي في ثمانية أيام بعد تدقيق ثانٍ.
                """),
            ),
            (
                "rania@demo.test",
                360,
                10,
                _text("""
                    أهلاً، مترجمة تقنية منذ سبع سنوات، وأستخدم أدوات الترجمة بمساعدة الحاسوب لتوحيد
                    المصطلحات في الدليل كله. أترجم العينة مجاناً لتحكموا على الأسلوب، وأحافظ على تنسيق
                    Word والصور والجداول كما هي.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client@demo.test",
        category="writing-translation",
        title="كتابة 10 مقالات عن الصحة والعناية بالبشرة",
        description=_text("""
            نحتاج عشر مقالات عربية لمدونة متجرنا، كل مقال بين 800 و1000 كلمة عن العناية بالبشرة والعطور
            والصحة العامة، بأسلوب قريب من القارئة الخليجية. يجب أن تكون المقالات أصلية ومتوافقة مع السيو،
            مع عنوان جذاب ووصف ميتا لكل مقال. لا نقبل محتوى مولداً آلياً دون تحرير، وسنرسل قائمة الكلمات
            المفتاحية.
        """),
        skills=("article-writing", "seo-writing", "content-writing"),
        budget=Budget.B100_250,
        duration=14,
        age=2,
        offers=(
            (
                "hind@demo.test",
                200,
                12,
                _text("""
                    مرحباً سارة، أكتب لمدونات تجميل وعناية منذ أربع سنوات، وأعتمد على مصادر طبية موثوقة
                    أذكرها في آخر كل مقال. أسلم مقالين كل ثلاثة أيام مع العنوان ووصف الميتا، وأعدل حتى
                    يرضيك الأسلوب.
                """),
            ),
            (
                "mona@demo.test",
                240,
                14,
                _text("""
                    أهلاً، أكتب المحتوى التسويقي والصحي بالعربية والفرنسية، وأراعي الكلمات المفتاحية دون
                    حشو يفسد القراءة. أقترح أن أكتب المقال الأول ونتفق على النبرة قبل إكمال التسعة.
                """),
            ),
            (
                "rania@demo.test",
                180,
                10,
                _text("""
                    مرحباً، كتبت أكثر من مئتي مقال في الصحة والجمال لمواقع عربية، وكلها أصلية ومكتوبة
                    بيدي. أرسل لك خطة العناوين خلال يوم من استلام الكلمات المفتاحية، وأسلم المقالات خلال
                    عشرة أيام.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="writing-translation",
        title="كتابة محتوى صفحات موقع وكالة تسويق بالعربية والإنجليزية",
        description=_text("""
            نطلق موقعاً جديداً لوكالتنا ونحتاج نصوص سبع صفحات: الرئيسية، ومن نحن، والخدمات في أربع صفحات،
            وتواصل معنا، باللغتين العربية والإنجليزية. نريد لغة واثقة مختصرة تخاطب أصحاب الشركات الصغيرة،
            مع عناوين قوية ودعوات واضحة لاتخاذ إجراء. سنرسل ملفاً تعريفياً عن الوكالة وأمثلة مواقع تعجبنا.
        """),
        skills=("copywriting", "content-writing", "translation-ar-en"),
        budget=Budget.B250_500,
        duration=10,
        age=16,
        state=REOPENED,
        hire="hind@demo.test",
        note="أعتذر منكم، طرأ ظرف عائلي لن أستطيع معه الالتزام بالموعد هذا الشهر، وأتمنى لكم التوفيق.",
        offers=(
            (
                "hind@demo.test",
                350,
                8,
                _text("""
                    مرحباً أستاذة ريم، أكتب نصوص المواقع والصفحات التعريفية لوكالات وشركات ناشئة، وأعرف
                    أن الزائر يقرر في ثوانٍ. أكتب النسخة العربية أولاً ثم أصوغ الإنجليزية صياغة حرة لا
                    ترجمة حرفية. أسلم خلال ثمانية أيام.
                """),
            ),
            (
                "mona@demo.test",
                420,
                10,
                _text("""
                    أهلاً، أكتب وأترجم المحتوى التسويقي بين العربية والإنجليزية، ولي تجربة مع ثلاث
                    وكالات في الخليج. أبدأ بجلسة قصيرة لفهم جمهوركم، ثم أسلم الصفحات على دفعتين مع جولة
                    تعديل لكل دفعة.
                """),
            ),
            (
                "rania@demo.test",
                300,
                9,
                _text("""
                    مرحباً، كتابة النصوص التسويقية باللغتين هي عملي اليومي، وأراعي اختلاف القارئ العربي
                    عن الإنجليزي في الطول والنبرة. أسلم الصفحات السبع خلال تسعة أيام مع عناوين بديلة
                    للاختبار.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client5@demo.test",
        category="writing-translation",
        title="تدقيق لغوي لحقيبة تدريبية من 120 صفحة",
        description=_text("""
            أعددنا حقيبة تدريبية في مهارات القيادة الإدارية من 120 صفحة بصيغة Word، ونحتاج تدقيقاً لغوياً
            ونحوياً شاملاً مع ضبط علامات الترقيم وتوحيد المصطلحات. يرجى تفعيل تتبع التغييرات حتى نراجع كل
            تعديل، وعدم المساس بالمحتوى العلمي. نفضل من له خبرة في تدقيق الكتب التدريبية.
        """),
        skills=("proofreading", "content-writing"),
        budget=Budget.B100_250,
        duration=7,
        age=0.05,
        state=PENDING,
    ),
    # --- Marketing & Sales
    DemoProject(
        owner="client@demo.test",
        category="marketing-sales",
        title="إدارة إعلانات إنستغرام وسناب شات لمتجر عطور لمدة شهر",
        description=_text("""
            نريد مسوقاً يدير حملاتنا الإعلانية على إنستغرام وسناب شات لمدة شهر، بميزانية إعلانية منفصلة
            قدرها 3,000 دولار. المطلوب إعداد الجمهور المستهدف في السعودية والكويت، وكتابة نصوص الإعلانات
            وتجربة أكثر من تصميم، وتقرير أسبوعي بالمبيعات وتكلفة اكتساب العميل. هدفنا رفع المبيعات قبل
            موسم الأعياد.
        """),
        skills=("facebook-ads", "social-media-marketing", "digital-marketing"),
        budget=Budget.B500_1000,
        duration=30,
        age=4,
        offers=(
            (
                "youssef@demo.test",
                850,
                30,
                _text("""
                    أهلاً سارة، أدير حملات متاجر عطور سعودية منذ ثلاث سنوات، وآخر حملة قبل رمضان حققت
                    عائداً يعادل ستة أضعاف الإنفاق. أبدأ بتدقيق حسابكم والبكسل، ثم أختبر ثلاث رسائل وثلاثة
                    جماهير في الأسبوع الأول وأركز الميزانية على الأفضل. تقرير كل يوم أحد.
                """),
            ),
            (
                "nader@demo.test",
                700,
                30,
                _text("""
                    مرحباً، أعمل في التسويق الإلكتروني للتجارة الإلكترونية في الخليج، وأهتم بالمبيعات
                    الفعلية لا بالإعجابات. أجهز خطة الحملة خلال يومين من البدء، وأشاركك لوحة متابعة
                    مباشرة إلى جانب التقرير الأسبوعي.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="marketing-sales",
        title="تحسين ظهور موقع عيادة أسنان في نتائج البحث (SEO)",
        description=_text("""
            نملك موقعاً لعيادة أسنان في الكويت مبنياً على ووردبريس، وترتيبه ضعيف في بحث جوجل عن كلمات مثل
            «تقويم أسنان الكويت». نحتاج تدقيقاً تقنياً شاملاً، وتحسين السرعة والعناوين والأوصاف، وخطة
            محتوى لثلاثة أشهر، وإعداد ملف النشاط التجاري على خرائط جوجل. نريد تقريراً مفصلاً قبل البدء
            وتقريراً شهرياً بعده.
        """),
        skills=("seo", "digital-marketing", "seo-writing"),
        budget=Budget.B250_500,
        duration=30,
        age=8,
        offers=(
            (
                "youssef@demo.test",
                450,
                30,
                _text("""
                    مرحباً أستاذة ريم، رفعت مواقع ثلاث عيادات في الكويت والسعودية إلى الصفحة الأولى في
                    كلماتها الأساسية خلال أربعة أشهر. أرسل تقرير التدقيق في الأسبوع الأول، ثم أنفذ
                    التحسينات التقنية وأعد ملف خرائط جوجل، وأسلم خطة المحتوى في آخر الشهر.
                """),
            ),
            (
                "nader@demo.test",
                380,
                30,
                _text("""
                    أهلاً، أعمل في تحسين محركات البحث للمواقع الطبية، وأعرف أن المراجعات على خرائط جوجل
                    تصنع الفرق في البحث المحلي. أقترح إلى جانب التحسينات خطة بسيطة لجمع تقييمات المرضى.
                """),
            ),
            (
                "tarek@demo.test",
                300,
                20,
                _text("""
                    مرحباً، أنا مطور ووردبريس وأتولى الجانب التقني من السيو: السرعة والبيانات المنظمة
                    وخريطة الموقع وإصلاح الروابط المعطلة. أرفع تقييم سرعة الموقع على الجوال فوق 90 خلال
                    أسبوع، وأسلمك تقريراً قبل وبعد.
                """),
            ),
            (
                "hind@demo.test",
                280,
                30,
                _text("""
                    مرحباً، أكتب محتوى طبياً متوافقاً مع السيو لعيادات أسنان وجلدية. أستطيع إعداد خطة
                    المحتوى للأشهر الثلاثة وكتابة أول أربع مقالات منها ضمن هذا العرض.
                """),
            ),
            (
                "freelancer@demo.test",
                400,
                21,
                _text("""
                    أهلاً، أستطيع معالجة الجانب التقني كاملاً: تسريع الموقع، وتحسين بنية الروابط،
                    والبيانات المنظمة للعيادة والأطباء، وربط Search Console وتحليلات جوجل. المدة ثلاثة
                    أسابيع مع تقرير مفصل.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client4@demo.test",
        category="marketing-sales",
        title="إدارة حسابات مطعم على إنستغرام وتيك توك لمدة شهر",
        description=_text("""
            نملك مطعماً للمأكولات الشعبية في الدوحة ونريد من يدير حساباته على إنستغرام وتيك توك لمدة شهر:
            خطة نشر أسبوعية، و12 منشوراً و8 مقاطع قصيرة من صور وفيديوهات نرسلها، والرد على التعليقات
            والرسائل في ساعات العمل. الهدف زيادة الطلبات عبر تطبيقات التوصيل والحجوزات في نهاية الأسبوع.
        """),
        skills=("social-media-marketing", "copywriting", "social-media-design"),
        budget=Budget.B250_500,
        duration=30,
        age=0.8,
        offers=(
            (
                "youssef@demo.test",
                480,
                30,
                _text("""
                    أهلاً أستاذ عبدالله، أدير حسابات أربعة مطاعم في الخليج، وأحدها ضاعف طلباته على
                    تطبيقات التوصيل في شهرين. أسلمك خطة الشهر في اليوم الأول، وأنشر في أوقات الذروة،
                    وأرد على الرسائل خلال ساعة في أوقات العمل.
                """),
            ),
            (
                "salma@demo.test",
                350,
                30,
                _text("""
                    مرحباً، أصمم وأدير حسابات مطاعم ومقاهٍ، وأحب تصوير الأطباق الشعبية بطريقة تفتح
                    الشهية. أجهز قوالب منشورات بهوية المطعم حتى يبدو الحساب متناسقاً من أول أسبوع.
                """),
            ),
            (
                "nader@demo.test",
                400,
                30,
                _text("""
                    أهلاً، أقترح ربط كل منشور بعرض أو رابط طلب مباشر حتى نقيس أثره على الطلبات فعلاً.
                    أرسل تقريراً أسبوعياً بالوصول والرسائل والطلبات القادمة من الحسابين.
                """),
            ),
            (
                "nour@demo.test",
                420,
                30,
                _text("""
                    مرحباً، تخصصي المقاطع القصيرة لتيك توك وريلز، وأعرف كيف تُبنى الثواني الثلاث الأولى
                    حتى لا يمرر المشاهد. أحول لقطاتكم إلى ثمانية مقاطع بإيقاع سريع وموسيقى رائجة.
                """),
            ),
            (
                "hind@demo.test",
                300,
                30,
                _text("""
                    أهلاً، أكتب منشورات المطاعم بلهجة خليجية خفيفة قريبة من الناس، مع وسوم مدروسة لكل
                    منشور. أستطيع تولي الكتابة والرد على التعليقات ضمن العرض.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="marketing-sales",
        title="حملة إعلانات جوجل لمشروع سكني في المنامة",
        description=_text("""
            نسوق مشروعاً سكنياً من 48 شقة في المنامة، ونحتاج خبيراً يبني حملة بحث وحملة أداء شامل على
            إعلانات جوجل، ويجهز صفحة هبوط بسيطة تجمع بيانات المهتمين، ويربط التحويلات بتحليلات جوجل 4.
            الميزانية الإعلانية منفصلة. نريد تقريراً أسبوعياً بتكلفة العميل المحتمل.
        """),
        skills=("google-ads", "digital-marketing", "market-research"),
        budget=Budget.B500_1000,
        duration=21,
        age=18,
        state=HIRING,
        hire="youssef@demo.test",
        offers=(
            (
                "youssef@demo.test",
                900,
                21,
                _text("""
                    مرحباً أستاذ فيصل، أدرت حملات جوجل لمشروعين عقاريين في الرياض والبحرين، ونزلت تكلفة
                    العميل المحتمل في الثاني إلى 9 دولارات. أبني الحملتين وصفحة الهبوط في الأسبوع الأول،
                    ثم أحسن الكلمات والإعلانات أسبوعياً بناءً على جودة المهتمين لا عددهم فقط.
                """),
            ),
            (
                "nader@demo.test",
                750,
                21,
                _text("""
                    أهلاً، أعمل على إعلانات جوجل للعقارات منذ خمس سنوات، وأبدأ عادة بدراسة سريعة لأسعار
                    المنافسين وكلماتهم. السعر يشمل صفحة الهبوط وربط التحويلات والتقارير الأسبوعية.
                """),
            ),
        ),
    ),
    # --- Engineering & Architecture
    DemoProject(
        owner="client4@demo.test",
        category="engineering-architecture",
        title="تصميم داخلي لمقهى مختص بمساحة 90 متراً مربعاً",
        description=_text("""
            نجهز مقهى مختصاً في الدوحة بمساحة 90 متراً مربعاً وواجهة زجاجية على الشارع. نريد تصميماً
            داخلياً دافئاً يجمع الخشب والإضاءة الهادئة، ويتسع لثلاثين جالساً مع بار قهوة واضح. المطلوب
            مخطط توزيع الأثاث، ومناظير ثلاثية الأبعاد واقعية لست لقطات، ومخططات تنفيذية للإضاءة والأسقف
            وجدول بالمواد. المخطط المعماري الحالي متوفر بصيغة DWG.
        """),
        skills=("interior-design", "3ds-max", "autocad", "3d-modeling"),
        budget=Budget.B1000_2500,
        duration=20,
        age=5,
        offers=(
            (
                "karim@demo.test",
                1800,
                18,
                _text("""
                    أهلاً أستاذ عبدالله، صممت أربعة مقاهٍ مختصة في بيروت وعمّان، وأعرف أن موقع البار
                    ومسار الزبون من الباب إلى الطلب يصنعان نصف التجربة. أرسل فكرتين لتوزيع الأثاث خلال
                    ثلاثة أيام، ثم المناظير الست، ثم المخططات التنفيذية وجدول المواد.
                """),
            ),
            (
                "majed@demo.test",
                1300,
                20,
                _text("""
                    مرحباً، مهندس معماري أعمل على المحلات التجارية والمطاعم في الخليج، وأراعي اشتراطات
                    الدفاع المدني والبلدية في التوزيع من البداية. المناظير بإظهار واقعي على 3ds Max
                    وكورونا، والمخططات التنفيذية على أوتوكاد.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="engineering-architecture",
        title="تصميم إنشائي لفيلا سكنية من طابقين وملحق",
        description=_text("""
            لدي المخططات المعمارية لفيلا سكنية من طابقين وملحق بمساحة 420 متراً مربعاً في البحرين،
            وأحتاج التصميم الإنشائي الكامل: الأساسات والأعمدة والجسور والأسقف، مع مذكرة حسابية وفق الكود
            الأمريكي ACI ومخططات تنفيذية جاهزة للتقديم إلى البلدية. تقرير فحص التربة متوفر. الأفضلية لمن
            له مشاريع معتمدة في الخليج.
        """),
        skills=("structural-engineering", "autocad", "revit"),
        budget=Budget.B1000_2500,
        duration=30,
        age=10,
        offers=(
            (
                "majed@demo.test",
                1600,
                25,
                _text("""
                    أهلاً أستاذ فيصل، صممت إنشائياً أكثر من أربعين فيلا اعتُمدت في السعودية والبحرين،
                    وأعمل بـ ETABS وSAFE مع تسليم المخططات على أوتوكاد. أبدأ بمراجعة تقرير التربة
                    والمخططات المعمارية، وأسلم المذكرة الحسابية والمخططات خلال 25 يوماً.
                """),
            ),
            (
                "karim@demo.test",
                2000,
                30,
                _text("""
                    مرحباً، أعمل مع مهندس إنشائي شريك منذ سنوات على الفلل السكنية، وأتولى أنا التنسيق
                    مع المخطط المعماري حتى لا تتعارض الأعمدة مع الفراغات. التسليم يشمل نموذج ريفيت كاملاً.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="engineering-architecture",
        title="رسم مخطط أوتوكاد لمحل تجاري من كروكي يدوي",
        description=_text("""
            لدي كروكي مرسوم باليد لمحل تجاري مساحته 60 متراً مربعاً مع القياسات، وأحتاج تحويله إلى مخطط
            أوتوكاد نظيف بالأبعاد وتوزيع الأبواب والنوافذ ونقاط الكهرباء. العمل بسيط وأحتاجه خلال ثلاثة
            أيام، بصيغتي DWG وPDF.
        """),
        skills=("autocad", "architectural-design"),
        budget=Budget.B50_100,
        duration=3,
        age=6,
        state=CLOSED,
    ),
    # --- Business & Consulting
    DemoProject(
        owner="client4@demo.test",
        category="business-consulting",
        title="دراسة جدوى لمطعم مأكولات بحرية في الدوحة",
        description=_text("""
            أخطط لافتتاح مطعم مأكولات بحرية متوسط الحجم بستين مقعداً في الدوحة، وأحتاج دراسة جدوى كاملة:
            دراسة السوق والمنافسين، وتقدير التكاليف الاستثمارية والتشغيلية، وتوقعات الإيرادات لخمس سنوات،
            ونقطة التعادل وفترة الاسترداد. الدراسة ستقدم إلى بنك، لذلك نحتاجها منظمة ومعها ملف إكسل قابل
            للتعديل.
        """),
        skills=("feasibility-studies", "financial-analysis", "market-research", "business-plans"),
        budget=Budget.B500_1000,
        duration=21,
        age=7,
        offers=(
            (
                "samir@demo.test",
                850,
                20,
                _text("""
                    مرحباً أستاذ عبدالله، أعددت دراسات جدوى لأحد عشر مطعماً ومقهى، وقُبل منها سبع في
                    طلبات تمويل بنكية. أسلمك الدراسة بصيغة Word وPDF مع نموذج مالي في إكسل مترابط، إذا
                    غيرت فيه سعر طبق أو إيجاراً تغيرت النتائج كلها تلقائياً.
                """),
            ),
            (
                "nader@demo.test",
                700,
                21,
                _text("""
                    أهلاً، أبدأ دراسات المطاعم بزيارة افتراضية للمنافسين وتحليل قوائمهم وأسعارهم
                    وتقييماتهم، ثم أبني التوقعات المالية عليها. الدراسة بالعربية مع ملخص تنفيذي بالإنجليزية
                    إن احتاجه البنك.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="business-consulting",
        title="نموذج مالي وخطة عمل لجولة تمويل أولى",
        description=_text("""
            نستعد لجولة تمويل أولى بقيمة 500 ألف دولار، ونحتاج خطة عمل مقنعة للمستثمرين ونموذجاً مالياً
            في إكسل لثلاث سنوات: الإيرادات حسب الاشتراكات، والتكاليف، والتدفق النقدي، مع سيناريو متحفظ
            وآخر متفائل. لدينا بيانات المستخدمين والمبيعات لسنة كاملة. نريد أيضاً عرضاً تقديمياً من 12
            شريحة يلخص الأرقام.
        """),
        skills=("business-plans", "financial-analysis", "excel"),
        budget=Budget.B1000_2500,
        duration=21,
        age=24,
        state=HIRING,
        hire="samir@demo.test",
        offers=(
            (
                "samir@demo.test",
                1800,
                20,
                _text("""
                    أهلاً أستاذ خالد، أعددت نماذج مالية لست شركات ناشئة في التعليم والتقنية، ورفعت
                    ثلاث منها جولات تمويل. أبني النموذج على بياناتكم الفعلية لا على افتراضات عامة، وأضيف
                    لوحة تحكم تقرأ منها السيناريوهات بضغطة واحدة.
                """),
            ),
            (
                "nader@demo.test",
                1500,
                21,
                _text("""
                    مرحباً، عملت محللاً في صندوق استثمار جريء قبل أن أعمل مستقلاً، وأعرف ما يبحث عنه
                    المستثمر في الشرائح الأولى. أسلم خطة العمل والنموذج والعرض التقديمي خلال ثلاثة
                    أسابيع.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="business-consulting",
        title="إعداد لائحة تنظيم عمل وسلم رواتب لشركة عقارية",
        description=_text("""
            شركتنا العقارية تضم 25 موظفاً بين المبيعات والإدارة وإدارة الأملاك، ولا توجد لدينا لائحة
            مكتوبة. نحتاج لائحة تنظيم عمل متوافقة مع قانون العمل البحريني، وهيكلاً تنظيمياً ووصفاً وظيفياً
            لكل منصب، وسلم رواتب مقترحاً في إكسل بناءً على رواتب السوق.
        """),
        skills=("human-resources", "excel", "business-plans"),
        budget=Budget.B250_500,
        duration=14,
        age=1,
        offers=(
            (
                "nader@demo.test",
                420,
                14,
                _text("""
                    أهلاً أستاذ فيصل، أعددت لوائح وهياكل تنظيمية لشركات في البحرين والسعودية، وأبدأ
                    بمقابلات قصيرة مع مديري الأقسام لفهم العمل الفعلي قبل كتابة الأوصاف الوظيفية.
                """),
            ),
        ),
    ),
    # --- Training & Education
    DemoProject(
        owner="client5@demo.test",
        category="training-education",
        title="دروس تعليم لغة عربية لغير الناطقين (مستوى مبتدئ)",
        description=_text("""
            مركزنا يقدم دورات عن بعد لموظفين أجانب في مسقط، ونحتاج معلماً أو معلمة لتدريس مجموعة من ثمانية
            متعلمين في المستوى المبتدئ: 24 حصة مدة كل منها ساعة، مرتين أسبوعياً عبر زووم. المطلوب خطة
            دروس، ومواد تفاعلية، واختبار قصير كل أربع حصص. يجب إتقان الشرح بالإنجليزية لأن المتعلمين لا
            يعرفون العربية.
        """),
        skills=("arabic-teaching", "online-tutoring", "course-design"),
        budget=Budget.B250_500,
        duration=90,
        age=2.5,
        offers=(
            (
                "aisha@demo.test",
                420,
                84,
                _text("""
                    أهلاً أستاذة مريم، أدرّس العربية لغير الناطقين بها منذ تسع سنوات، وأحمل شهادة في
                    تعليمها من معهد الخرطوم الدولي. أعتمد على الحوار والمواقف اليومية من الحصة الأولى،
                    وأرسل خطة الحصص الأربع والعشرين قبل البدء لاعتمادها.
                """),
            ),
            (
                "rania@demo.test",
                480,
                84,
                _text("""
                    مرحباً، أدرّس اللغتين العربية والإنجليزية عبر الإنترنت لمجموعات الشركات، وأشرح
                    بالإنجليزية بطلاقة. أستخدم بطاقات تفاعلية وألعاباً قصيرة تجعل المتعلم يتكلم منذ الأسبوع
                    الأول.
                """),
            ),
            (
                "mona@demo.test",
                450,
                84,
                _text("""
                    أهلاً، درّست العربية لموظفي سفارات في الرباط ثلاث سنوات، وأعددت لهم مواد خاصة
                    بالتحية والتسوق والعمل. أسلم بعد كل أربع حصص اختباراً قصيراً وتقريراً بتقدم كل متعلم.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="training-education",
        title="تصميم دورة مسجلة لتعليم البرمجة ببايثون للمراهقين",
        description=_text("""
            نريد إعداد دورة مسجلة من 12 درساً لتعليم بايثون لأعمار 13 إلى 17 سنة على منصتنا: سيناريو كل
            درس، وعروض الشرائح، وتمارين تفاعلية مع حلولها، ومشروع ختامي صغير كلعبة بسيطة. التسجيل صوتي
            على الشاشة بلغة عربية واضحة، ونتولى نحن المونتاج النهائي.
        """),
        skills=("course-design", "programming-teaching", "educational-content", "python"),
        budget=Budget.B500_1000,
        duration=30,
        age=11,
        offers=(
            (
                "freelancer@demo.test",
                900,
                30,
                _text("""
                    أهلاً أستاذ خالد، درّبت طلاباً في نوادي البرمجة الصيفية ثلاث سنوات، وأعرف أن المراهق
                    يريد أن يرى نتيجة على الشاشة من الدرس الأول. أقترح أن تبني الدروس لعبة صغيرة خطوة
                    بخطوة، فيخرج الطالب بمشروع يفتخر به.
                """),
            ),
            (
                "omar@demo.test",
                750,
                25,
                _text("""
                    مرحباً، أقدم دروس برمجة على يوتيوب يتابعها آلاف الطلاب العرب، وأسجل بصوت واضح
                    وميكروفون احترافي. أسلم الدروس على ثلاث دفعات، وكل دفعة فيها السيناريو والشرائح
                    والتمارين والتسجيل.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client5@demo.test",
        category="training-education",
        title="إعداد عرض تقديمي احترافي لبرنامج تدريبي عن خدمة العملاء",
        description=_text("""
            لدينا محتوى برنامج تدريبي في خدمة العملاء مكتوباً في ملف Word في نحو أربعين فقرة، ونريد تحويله
            إلى عرض باوربوينت من 35 شريحة بتصميم احترافي متناسق مع ألوان المركز، مع أيقونات ورسوم بيانية
            بسيطة وملاحظات للمدرب أسفل كل شريحة.
        """),
        skills=("presentations", "educational-content"),
        budget=Budget.B50_100,
        duration=5,
        age=25,
        state=CLOSED,
        offers=(
            (
                "salma@demo.test",
                90,
                4,
                _text("""
                    أهلاً، صممت عروضاً تدريبية لمراكز في عُمان والإمارات، وأعتمد قالباً رئيسياً بألوانكم
                    حتى تعدلوا العرض بسهولة لاحقاً. التسليم خلال أربعة أيام.
                """),
            ),
            (
                "bilal@demo.test",
                60,
                5,
                _text("""
                    مرحباً، أنسق العروض التقديمية وأكتب ملاحظات المدرب بدقة، وأستطيع تسليم نموذج من خمس
                    شرائح في اليوم الأول للاتفاق على الشكل.
                """),
            ),
            (
                "aisha@demo.test",
                80,
                5,
                _text("""
                    أهلاً أستاذة مريم، أعمل مدربة وأصمم عروضي بنفسي، لذلك أكتب ملاحظات المدرب كما يحتاجها
                    من يقف أمام القاعة فعلاً، لا نسخاً لنص الشريحة.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client7@demo.test",
        category="training-education",
        title="مطلوب حل واجبات واختبارات مادة الإحصاء طوال الفصل",
        description=_text("""
            أدرس إدارة أعمال وعندي مادة إحصاء صعبة هذا الفصل. أريد شخصاً يحل الواجبات الأسبوعية ويدخل
            الاختبارات القصيرة بحسابي في نظام الجامعة بدلاً مني حتى نهاية الفصل، والدفع أسبوعي.
        """),
        skills=("online-tutoring", "excel"),
        budget=Budget.B100_250,
        duration=90,
        age=4,
        state=REJECTED,
        note=_text("""
            حل الواجبات والاختبارات الجامعية نيابةً عن الطالب مخالف لشروط استخدام المنصة. يمكنك نشر مشروع
            جديد تطلب فيه دروساً خصوصية تشرح لك المادة وتساعدك على حل التمارين بنفسك.
        """),
    ),
    # --- Video & Audio
    DemoProject(
        owner="client@demo.test",
        category="video-audio",
        title="مونتاج فيديو إعلاني 60 ثانية لإطلاق عطر جديد",
        description=_text("""
            صورنا لقطات خام لإطلاق عطرنا الجديد، نحو 20 دقيقة بدقة 4K، ونحتاج مونتاج إعلان مدته 60 ثانية
            بنسختين: أفقية ليوتيوب وعمودية لإنستغرام وتيك توك. المطلوب تصحيح الألوان، وموسيقى مرخصة، ونصوص
            متحركة بالعربية، وشعار المتجر في النهاية. نريد إحساساً فاخراً وإيقاعاً هادئاً.
        """),
        skills=("video-editing", "motion-graphics", "after-effects"),
        budget=Budget.B100_250,
        duration=5,
        age=1.1,
        offers=(
            (
                "nour@demo.test",
                200,
                4,
                _text("""
                    مرحباً سارة، عملت على إعلانات لعلامتي عطور ومجوهرات، وأحب الإيقاع الهادئ واللقطات
                    القريبة على التفاصيل. أرسل مسودة أولى خلال يومين، والنسختين النهائيتين في اليوم الرابع
                    مع جولتي تعديل.
                """),
            ),
            (
                "hassan@demo.test",
                180,
                5,
                _text("""
                    أهلاً، مونتير ومهندس صوت، وأهتم بأن تكون الموسيقى والمؤثرات الصوتية على قدر فخامة
                    الصورة. أختار ثلاث مقطوعات مرخصة لتختاري منها قبل البدء في المونتاج.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="video-audio",
        title="فيديو موشن جرافيك يشرح تطبيقنا في دقيقة ونصف",
        description=_text("""
            نحتاج فيديو موشن جرافيك مدته 90 ثانية يشرح لأولياء الأمور كيف يتابعون تقدم أطفالهم في تطبيقنا.
            المطلوب كتابة السيناريو معنا، ورسم الشخصيات والمشاهد بأسلوب مسطح ملون، وتعليق صوتي عربي بصوت
            نسائي دافئ، ونسخة بترجمة إنجليزية. الهوية البصرية والشعار متوفران.
        """),
        skills=("motion-graphics", "whiteboard-animation", "voice-over"),
        budget=Budget.B500_1000,
        duration=14,
        age=19,
        state=REOPENED,
        hire="nour@demo.test",
        note=_text("""
            أعتذر يا أستاذ خالد، تأخر عندي مشروع سابق ولن أستطيع التسليم في الموعد الذي يناسبكم، وأفضل أن
            تبدؤوا مع غيري على أن أتأخر عليكم.
        """),
        offers=(
            (
                "nour@demo.test",
                700,
                12,
                _text("""
                    أهلاً أستاذ خالد، صنعت فيديوهات شرح لتطبيقات تعليمية ومالية، وأكتب السيناريو معكم
                    في جلسة واحدة ثم أرسم لوحة القصة قبل التحريك. التعليق الصوتي مع معلقة أتعاون معها
                    دائماً.
                """),
            ),
            (
                "hassan@demo.test",
                650,
                14,
                _text("""
                    مرحباً، أقدم التعليق الصوتي والتحريك معاً مع فريق صغير من رسامة ومحرك، وأرسل لكم
                    ثلاث عينات صوتية نسائية لتختاروا منها قبل البدء.
                """),
            ),
            (
                "layla@demo.test",
                850,
                14,
                _text("""
                    أهلاً، أرسم الشخصيات والمشاهد بهوية تطبيقكم نفسها، ثم أحركها على أفتر إفكتس.
                    ستحصلون على ملفات الشخصيات أيضاً لتستخدموها في التطبيق والإعلانات لاحقاً.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client5@demo.test",
        category="video-audio",
        title="تعليق صوتي لعشرة فيديوهات تدريبية بالعربية الفصحى",
        description=_text("""
            لدينا نصوص عشرة فيديوهات تدريبية قصيرة عن السلامة المهنية، مجموع كلماتها نحو 4,000 كلمة. نحتاج
            تعليقاً صوتياً بالفصحى بصوت رجالي رزين، مسجلاً في بيئة خالية من الصدى، مع تنقية الصوت وتسليم
            كل ملف منفصلاً بصيغة WAV. يرجى ذكر رابط عينة صوتية في العرض.
        """),
        skills=("voice-over", "audio-production"),
        budget=Budget.B250_500,
        duration=10,
        age=13,
        state=HIRING,
        hire="hassan@demo.test",
        offers=(
            (
                "hassan@demo.test",
                380,
                8,
                _text("""
                    أهلاً أستاذة مريم، معلق صوتي بالفصحى منذ عشر سنوات، وسجلت لبرامج تدريبية في أرامكو
                    وهيئات حكومية. أسجل في استوديو معزول، وأسلم كل فيديو منفصلاً بعد التنقية والمعالجة،
                    مع تعديل مجاني لأي جملة.
                """),
            ),
            (
                "nour@demo.test",
                300,
                10,
                _text("""
                    مرحباً، أعمل مع معلق صوتي محترف بالفصحى، وأستطيع إلى جانب الصوت مزامنته مع
                    الفيديوهات إن رغبتم، فتستلمون الفيديوهات جاهزة للنشر.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="video-audio",
        title="تفريغ وترجمة 5 حلقات بودكاست إلى ملفات ترجمة SRT",
        description=_text("""
            لدينا خمس حلقات بودكاست عن ريادة الأعمال، مدة كل منها 40 دقيقة باللهجة الخليجية. نحتاج تفريغاً
            نصياً دقيقاً بالعربية، ثم ترجمة إلى الإنجليزية، وتسليم ملفات SRT متزامنة مع الفيديو لكل حلقة.
            الدقة في أسماء الأعلام والمصطلحات مهمة جداً.
        """),
        skills=("subtitles", "translation-ar-en", "podcast-editing"),
        budget=Budget.B100_250,
        duration=10,
        age=32,
        offers=(
            (
                "rania@demo.test",
                220,
                9,
                _text("""
                    أهلاً أستاذة ريم، فرّغت وترجمت أكثر من مئة حلقة بودكاست عربية، بينها برامج خليجية
                    عن الأعمال. أراجع كل حلقة مرتين قبل التسليم، وأرسل قائمة بالأسماء والمصطلحات
                    لتأكيدها.
                """),
            ),
            (
                "mona@demo.test",
                240,
                10,
                _text("""
                    مرحباً، أترجم المحتوى المرئي وأضبط التوقيت حتى لا تسبق الترجمة الكلام أو تتأخر عنه،
                    وأقسم السطور بحيث يقرأها المشاهد بسهولة.
                """),
            ),
            (
                "hassan@demo.test",
                200,
                10,
                _text("""
                    أهلاً، أعمل في تحرير البودكاست وأعرف اللهجة الخليجية جيداً. أستطيع أيضاً تنقية الصوت
                    في الحلقات دون تكلفة إضافية إن احتجتم.
                """),
            ),
            (
                "bilal@demo.test",
                150,
                12,
                _text("""
                    مرحباً، أتقن التفريغ النصي والطباعة السريعة، وأتعاون مع مترجم معتمد للنسخة
                    الإنجليزية. أسلم حلقة كل يومين.
                """),
            ),
        ),
    ),
    # --- Data Entry & Support
    DemoProject(
        owner="client@demo.test",
        category="data-entry-support",
        title="إدخال بيانات 500 منتج في متجر على منصة سلة",
        description=_text("""
            لدينا ملف إكسل بأسماء 500 منتج وأسعارها، ومجلد صور لكل منتج. المطلوب إدخال المنتجات في متجرنا
            على منصة سلة: الاسم والوصف المختصر والسعر والكمية والتصنيف وثلاث صور لكل منتج، مع مراجعة
            الأخطاء الإملائية. الدقة أهم عندنا من السرعة، وسنراجع أول 50 منتجاً قبل إكمال الباقي.
        """),
        skills=("data-entry", "spreadsheets", "typing"),
        budget=Budget.B100_250,
        duration=7,
        age=0.6,
        offers=(
            (
                "bilal@demo.test",
                150,
                6,
                _text("""
                    أهلاً سارة، أدخلت بيانات أكثر من عشرة متاجر على سلة وزد، وأعرف لوحة التحكم جيداً.
                    أسلمك أول 50 منتجاً في اليوم الأول للمراجعة، ثم مئة منتج يومياً.
                """),
            ),
            (
                "tarek@demo.test",
                180,
                5,
                _text("""
                    مرحباً، بدلاً من الإدخال اليدوي كاملاً أجهز ملف استيراد بصيغة سلة من ملفكم، ثم أراجع
                    المنتجات وأرفع الصور يدوياً. هذا أسرع ويقلل الأخطاء.
                """),
            ),
            (
                "hind@demo.test",
                220,
                7,
                _text("""
                    أهلاً، أستطيع مع الإدخال تحسين الأوصاف المختصرة لتكون جذابة ومتوافقة مع البحث داخل
                    المتجر، دون تغيير المعلومات الأساسية.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="data-entry-support",
        title="مساعد افتراضي لتنظيم البريد والمواعيد عشر ساعات أسبوعياً",
        description=_text("""
            أحتاج مساعداً افتراضياً يجيد العربية والإنجليزية لمدة شهر، بمعدل عشر ساعات أسبوعياً: فرز بريدي
            الإلكتروني والرد على الاستفسارات المتكررة بنماذج جاهزة، وتنظيم مواعيدي مع العملاء على تقويم
            جوجل، وتحديث جدول المتابعة يومياً. العمل في أوقات الدوام الخليجي.
        """),
        skills=("virtual-assistant", "email-handling", "customer-support"),
        budget=Budget.B250_500,
        duration=30,
        age=9,
        offers=(
            (
                "bilal@demo.test",
                300,
                30,
                _text("""
                    أهلاً أستاذ فيصل، أعمل مساعداً افتراضياً لمديرين في السعودية والكويت منذ ثلاث سنوات،
                    وأتقن جيميل وتقويم جوجل وجداول المتابعة. أرسل لك ملخصاً يومياً بما أنجزت وما ينتظر
                    قرارك.
                """),
            ),
            (
                "rania@demo.test",
                380,
                30,
                _text("""
                    مرحباً، أكتب بالعربية والإنجليزية بطلاقة، وسأجهز لك في الأسبوع الأول مكتبة ردود
                    جاهزة للاستفسارات المتكررة توفر وقتك ووقتي.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="data-entry-support",
        title="مطلوب موظف خدمة عملاء بدوام كامل براتب شهري",
        description=_text("""
            شركتنا تبحث عن موظف خدمة عملاء بدوام كامل من المنزل، ثماني ساعات يومياً ستة أيام في الأسبوع،
            براتب شهري ثابت وعقد سنوي قابل للتجديد. يرجى إرسال السيرة الذاتية والراتب المتوقع.
        """),
        skills=("customer-support", "virtual-assistant"),
        budget=Budget.B250_500,
        duration=30,
        age=2,
        state=REJECTED,
        note=_text("""
            مستقل منصة لمشاريع محددة المخرجات والمدة، ولا تُنشر فيها الوظائف بدوام كامل ولا طلبات السير
            الذاتية. يمكنك نشر مشروع بمهمة محددة، كالرد على استفسارات العملاء لمدة شهر بعدد ساعات معلوم.
        """),
    ),
    DemoProject(
        owner="client4@demo.test",
        category="data-entry-support",
        title="تحويل 80 صفحة PDF من قوائم الموردين إلى جدول إكسل",
        description=_text("""
            لدينا قوائم أسعار من ستة موردين في 80 صفحة PDF ممسوحة ضوئياً، ونحتاج تحويلها إلى جدول إكسل
            واحد منظم بأعمدة: المورد، والصنف، والوحدة، والسعر، وتاريخ القائمة. نريد مطابقة الأسماء
            المتشابهة للصنف نفسه حتى نقارن الأسعار بسهولة.
        """),
        skills=("pdf-conversion", "data-entry", "excel"),
        budget=Budget.B50_100,
        duration=4,
        age=0.25,
        state=PENDING,
    ),
    # --- Hired and funded: the contracts' stories (and the wallets' side of them in WALLET_STORY)
    DemoProject(
        owner="client4@demo.test",
        category="programming",
        title="نظام نقاط ولاء لزبائن مطعمين مع واجهة للكاشير",
        description=_text("""
            نملك مطعمين في الدوحة ونريد برنامج ولاء بسيطاً: يجمع الزبون نقاطاً مع كل فاتورة برقم جواله،
            ويستبدلها بخصومات أو وجبات مجانية. نحتاج واجهة ويب للكاشير يدخل فيها رقم الجوال ومبلغ
            الفاتورة، ولوحة للإدارة تعرض أكثر الزبائن زيارة وتتيح تعديل قواعد النقاط، مع رسالة نصية للزبون
            بعد كل عملية. نفضل جانغو أو لارافيل، والاستضافة على خادمنا.
        """),
        skills=("django", "python", "databases", "apis"),
        budget=Budget.B1000_2500,
        duration=21,
        age=52,
        state=COMPLETED,
        hire="freelancer@demo.test",
        offers=(
            (
                "tarek@demo.test",
                1300,
                25,
                _text("""
                    أهلاً أستاذ عبد الله، أعمل بلارافيل منذ سبع سنوات، ونفذت نظام بطاقات ولاء لسلسلة مقاهٍ
                    في القاهرة. أقدم لوحة إدارة كاملة وواجهة للكاشير وربطاً مع مزود الرسائل الذي تختارونه،
                    وأسلم الشيفرة موثقة مع شهر من الدعم.
                """),
            ),
            (
                "freelancer@demo.test",
                1500,
                21,
                _text("""
                    مرحباً أستاذ عبد الله، بنيت بجانغو نظام حجز لعشرين عيادة فيه رسائل نصية ولوحة تحكم،
                    وبرنامج الولاء قريب منه في بنيته. أقترح واجهة كاشير تعمل على الجهاز اللوحي دون تثبيت،
                    وجدولاً لقواعد النقاط تعدله الإدارة دون مبرمج، وتقريراً شهرياً بأكثر الزبائن ولاءً.
                    التسليم على مرحلتين خلال 21 يوماً، مع تثبيت النظام على خادمكم.
                """),
            ),
            (
                "omar@demo.test",
                1700,
                28,
                _text("""
                    مرحباً، أقترح تطبيق جوال بفلاتر للزبائن يعرض رصيد النقاط والعروض، إلى جانب واجهة الكاشير
                    ولوحة الإدارة. التطبيق يرفع نسبة عودة الزبائن أكثر من الرسائل وحدها، ويمكن إطلاقه بعد
                    النظام الأساسي بأسبوعين.
                """),
            ),
        ),
        story=(
            Step("hire", 49),
            Step("fund", 48.8),
            Step(
                "deliver",
                38,
                _text("""
                    أرسلت المرحلتين كاملتين: واجهة الكاشير تعمل على المتصفح وتقبل رقم الجوال ومبلغ الفاتورة،
                    ولوحة الإدارة فيها قواعد النقاط والمكافآت وتقرير أكثر الزبائن زيارة. ربطت الرسائل النصية
                    بحساب مزود الرسائل الذي أرسلتموه، والنظام منشور على خادمكم التجريبي. أرفقت دليل التشغيل
                    وفيه بيانات الدخول، وصورة من لوحة الإدارة.
                """),
                files=("دليل-التشغيل.pdf", "لوحة-الإدارة.jpg"),
            ),
            Step(
                "request_changes",
                37.5,
                _text("""
                    العمل ممتاز يا أحمد، وجربه الكاشير في الفرع الأول أمس. نحتاج تعديلين قبل الاعتماد: أن تصل
                    الرسالة النصية بالعربية مع اسم الفرع، وأن يستطيع مدير الفرع إلغاء عملية أُدخلت بالخطأ
                    خلال عشر دقائق مع بقاء أثرها في السجل.
                """),
            ),
            Step(
                "deliver",
                36,
                _text("""
                    نفذت التعديلين: الرسالة الآن بالعربية وتذكر اسم الفرع ورصيد النقاط، ومدير الفرع يلغي
                    العملية خلال عشر دقائق من شاشة السجل ويبقى الإلغاء مسجلاً باسمه. نقلت النظام إلى خادم
                    الإنتاج وأضفت نسخة احتياطية يومية لقاعدة البيانات.
                """),
                files=("ملاحظات-الإصدار.pdf",),
            ),
            Step("accept", 35.5),
        ),
    ),
    DemoProject(
        owner="client@demo.test",
        category="design",
        title="تصميم ملصقات تغليف وبطاقات شكر لطلبات متجر عطور",
        description=_text("""
            نغلف كل طلب في متجرنا بالرياض بعناية، ونريد أن يحمل التغليف هويتنا: ملصق دائري لإغلاق العلب
            بقطرين (4 و6 سم)، وبطاقة شكر بحجم A6 يُكتب على ظهرها اسم العطر وطريقة حفظه، وملصق صغير للعينات.
            ألواننا الحالية الذهبي والعنابي. المطلوب ملفات جاهزة للطباعة مع خطوط القص.
        """),
        skills=("print-design", "graphic-design", "illustrator"),
        budget=Budget.B100_250,
        duration=7,
        age=45,
        state=COMPLETED,
        hire="layla@demo.test",
        offers=(
            (
                "salma@demo.test",
                160,
                7,
                _text("""
                    أهلاً، صممت مطبوعات تغليف لمتاجر حلويات وعطور، وأعرف متطلبات المطابع في الرياض. أقدم
                    تصميمين مختلفين للبطاقة تختارين منهما، وأجهز الملفات بنظام CMYK مع خطوط القص.
                """),
            ),
            (
                "layla@demo.test",
                200,
                6,
                _text("""
                    مرحباً سارة، أحب هذا النوع من التفاصيل التي تجعل فتح الطلب تجربة بحد ذاتها. أصمم الملصقين
                    وبطاقة الشكر بالذهبي والعنابي مع زخرفة خفيفة مستوحاة من قوارير العطر، وأسلم ملفات PDF
                    للطباعة بخطوط القص وهامش الأمان، مع نسخة قابلة للتعديل لأسماء العطور.
                """),
            ),
        ),
        story=(
            Step("hire", 43),
            Step("fund", 42.9),
            Step(
                "deliver",
                38.5,
                _text("""
                    أرفقت التصاميم النهائية: الملصق الدائري بقطري 4 و6 سم، وبطاقة الشكر A6 بوجهيها، وملصق
                    العينات. ملف الطباعة PDF بنظام CMYK مع خطوط القص وهامش 3 مم، ومعه معاينة للبطاقة. ملف
                    Illustrator المفتوح يصلك في المحادثة لتغيير اسم العطر على البطاقة بسهولة.
                """),
                files=("ملصقات-التغليف-للطباعة.pdf", "معاينة-بطاقة-الشكر.jpg"),
            ),
            Step("accept", 37.6),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="marketing-sales",
        title="إدارة حملة إعلانات ممولة لإطلاق سيروم طبيعي للبشرة",
        description=_text("""
            نطلق سيروماً طبيعياً للبشرة ضمن علامتنا لمستحضرات التجميل، ونبحث عن خبير يدير حملة ممولة على
            إنستغرام وسناب شات مدة أربعة أسابيع: إعداد الجماهير في الكويت والسعودية، وكتابة نصوص الإعلانات،
            واختبار التصاميم، وتقرير أسبوعي بالنتائج. ميزانية الإعلانات منفصلة وتُدفع من حسابنا مباشرة.
        """),
        skills=("digital-marketing", "facebook-ads", "social-media-marketing"),
        budget=Budget.B500_1000,
        duration=30,
        age=40,
        state=COMPLETED,  # decided with a share for the freelancer: completed, the rest refunded
        hire="youssef@demo.test",
        offers=(
            (
                "youssef@demo.test",
                800,
                30,
                _text("""
                    أهلاً أستاذة ريم، أدرت حملات إطلاق لأربع علامات تجميل خليجية، آخرها كريم طبيعي حقق عائداً
                    يعادل أربعة أضعاف الإنفاق. أبدأ بأسبوع اختبار لثلاثة جماهير وثلاثة تصاميم، ثم أركز
                    الميزانية على الأفضل، ويصلك كل أحد تقرير واضح بالتكلفة والمبيعات.
                """),
            ),
            (
                "nader@demo.test",
                650,
                30,
                _text("""
                    مرحباً، أقترح أن نبدأ بدراسة سريعة لمنافسيكم في الكويت والسعودية قبل إطلاق الإعلانات، ثم
                    حملة على مرحلتين: توعية ثم بيع. أتابع الحملة يومياً وأرسل تقريراً كل أسبوع.
                """),
            ),
        ),
        story=(
            Step("hire", 38),
            Step("fund", 37.8),
            Step(
                "open_dispute",
                21,
                _text("""
                    أدار المستقل الحملة أول أسبوعين فقط ثم توقف عن الرد منذ ثمانية أيام، والإعلانات ما زالت
                    تعمل بالإعدادات الأولى دون أي تحسين. وصلني تقرير واحد من أصل أربعة تقارير متفق عليها، ولم
                    تُجرَّب تصاميم القصص إطلاقاً. أطلب استرداد المبلغ عن الأسابيع التي لم يُنفَّذ فيها العمل.
                """),
                by="client",
            ),
            Step(
                "decide",
                18,
                _text("""
                    راجعنا المحادثة وتقارير مدير الإعلانات التي أرفقها الطرفان. الثابت أن المستقل أعد الجماهير
                    والنصوص وأدار الحملة أسبوعين وسلّم تقرير الأسبوع الأول، وأن المتابعة توقفت بعد ذلك دون
                    إشعار. قررنا صرف 350 دولاراً للمستقل عن العمل المنجز، ورد 450 دولاراً إلى رصيد العميلة.
                """),
                share=350,
            ),
        ),
    ),
    DemoProject(
        owner="client3@demo.test",
        category="programming",
        title="إصلاح أخطاء وتسريع لوحة تقارير الحملات التسويقية (Django)",
        description=_text("""
            لدينا لوحة داخلية بجانغو يستخدمها فريق التسويق لمتابعة نتائج الحملات، بناها مطور سابق. صارت صفحة
            التقرير الشهري تستغرق أكثر من 40 ثانية، وأرقام بعض القنوات لا تطابق ما في Google Analytics،
            وتصدير إكسل يفشل مع التقارير الكبيرة. المطلوب إصلاح المشكلات الثلاث وكتابة اختبارات تمنع عودتها.
        """),
        skills=("django", "python", "databases"),
        budget=Budget.B500_1000,
        duration=10,
        age=17,
        state=COMPLETED,
        hire="freelancer@demo.test",
        offers=(
            (
                "freelancer@demo.test",
                600,
                10,
                _text("""
                    أهلاً أستاذة ريم، بطء التقارير في جانغو سببه غالباً استعلامات متكررة داخل الحلقات أو غياب
                    الفهارس، وقد أصلحت هذا في مشاريع كثيرة. أبدأ بقياس الصفحة، ثم أصلح الاستعلامات وأضيف
                    الفهارس، وأطابق الأرقام مع Google Analytics قناةً قناة، وأجعل التصدير يعمل في الخلفية.
                    أسلم مع اختبارات آلية لكل إصلاح.
                """),
            ),
            (
                "tarek@demo.test",
                550,
                12,
                _text("""
                    مرحباً، أعمل ببايثون ولارافيل ولدي خبرة في تحسين قواعد البيانات. أراجع الشيفرة وأرسل لك
                    تقريراً بالمشكلات في اليوم الأول، ثم أبدأ الإصلاح.
                """),
            ),
        ),
        story=(
            Step("hire", 14.5),
            Step("fund", 14.3),
            Step(
                "deliver",
                7,
                _text("""
                    انتهيت من الإصلاحات الثلاثة: صفحة التقرير الشهري تفتح الآن في 1.8 ثانية بدلاً من 42 بعد
                    دمج الاستعلامات وإضافة فهرسين، وفرق الأرقام سببه أن اللوحة كانت تحسب الجلسات بتوقيت UTC لا
                    بتوقيت الكويت، وتصدير إكسل صار يعمل في الخلفية ويصل رابطه بالبريد. أضفت 23 اختباراً
                    آلياً، والتفاصيل في التقرير المرفق.
                """),
                files=("تقرير-الإصلاحات.pdf",),
            ),
            Step(
                "request_changes",
                6.2,
                _text("""
                    شكراً يا أحمد، الفرق في السرعة واضح جداً. بقيت ملاحظة واحدة: أرقام قناة سناب شات ما زالت
                    أقل بنحو 3% من لوحة سناب نفسها، فهل يمكن مراجعتها؟ وأرجو إضافة شرح مختصر في ملف README
                    لطريقة تشغيل الاختبارات.
                """),
            ),
            Step(
                "deliver",
                5,
                _text("""
                    راجعت أرقام سناب شات: الفرق سببه أن سناب تحتسب التحويلات خلال 28 يوماً من مشاهدة الإعلان،
                    بينما كانت اللوحة تحتسبها خلال 7 أيام. أضفت خياراً لنافذة الاحتساب، وصارت الأرقام
                    متطابقة عند اختيار 28 يوماً. وأضفت في README قسماً يشرح تشغيل الاختبارات وإعداد البيئة.
                """),
            ),
            Step("accept", 4.2),
        ),
    ),
    DemoProject(
        owner="client4@demo.test",
        category="design",
        title="تصميم قائمة طعام مطبوعة ورقمية لمقهى مختص",
        description=_text("""
            نستعد لافتتاح مقهى مختص في الدوحة، ونحتاج قائمة طعام ومشروبات بصفحتين (عربي وإنجليزي) للطباعة
            على ورق مقوى بحجم A4، ونسخة رقمية تفتح من رمز QR على الطاولة. في القائمة نحو 35 صنفاً مع
            الأسعار، والشعار والألوان جاهزة.
        """),
        skills=("print-design", "graphic-design", "photoshop"),
        budget=Budget.B100_250,
        duration=7,
        age=15,
        state=COMPLETED,
        hire="salma@demo.test",
        offers=(
            (
                "layla@demo.test",
                240,
                6,
                _text("""
                    أهلاً، أقترح قائمة تعتمد على رسوم خطية بسيطة لحبوب القهوة وأدوات التحضير تنسجم مع هوية
                    المقهى، مع نسخة رقمية بالروح نفسها. التسليم خلال ستة أيام.
                """),
            ),
            (
                "salma@demo.test",
                220,
                7,
                _text("""
                    مرحباً أستاذ عبد الله، صممت قوائم لثلاثة مقاهٍ مختصة، وأعرف أن الزبون يقرأ القائمة في
                    ثوانٍ، لذلك أرتب الأصناف بحيث تبرز المشروبات الأعلى ربحاً. أسلم ملف الطباعة بخطوط القص،
                    ونسخة رقمية خفيفة تفتح بسرعة على الجوال مع رمز QR.
                """),
            ),
        ),
        story=(
            Step("hire", 13),
            Step("fund", 12.8),
            Step(
                "deliver",
                8.3,
                _text("""
                    أرفقت القائمة بصفحتيها العربية والإنجليزية: ملف PDF للطباعة على A4 بخطوط القص، ونسخة
                    رقمية مقاسة لشاشات الجوال يفتحها رمز QR. رتبت المشروبات المختصة أولاً، وأبرزت أصناف
                    الموسم في إطار مستقل كما اتفقنا.
                """),
                files=("قائمة-المقهى-للطباعة.pdf", "قائمة-المقهى-للجوال.jpg"),
            ),
            Step("accept", 7.5),
        ),
    ),
    DemoProject(
        owner="client@demo.test",
        category="programming",
        title="سكربت بايثون يجمع مبيعات نقاط البيع اليومية في Google Sheets",
        description=_text("""
            نستخدم في متجرنا بالرياض نظام نقاط بيع يصدّر المبيعات في ملفات CSV يومية. أريد سكربتاً يعمل
            تلقائياً كل ليلة: يقرأ ملف اليوم، ويجمع المبيعات حسب العطر والحجم، ويضيفها إلى جدول Google
            Sheets، وينبهني بالبريد إذا نزل مخزون أي عطر عن عشر قطع. أريد شرحاً بسيطاً لأنني لست مبرمجة.
        """),
        skills=("python", "apis", "spreadsheets"),
        budget=Budget.B250_500,
        duration=10,
        age=14,
        state=IN_PROGRESS,  # delivered, waiting for the client to accept
        hire="freelancer@demo.test",
        offers=(
            (
                "freelancer@demo.test",
                400,
                8,
                _text("""
                    أهلاً أستاذة سارة، هذا النوع من الأتمتة يوفر ساعة يومياً على الأقل. أكتب السكربت ببايثون
                    وأربطه بواجهة Google Sheets، وأشغله على خادم صغير كل ليلة في الحادية عشرة، مع تنبيه
                    بالبريد للمخزون المنخفض. وأسلم معه دليلاً مصوراً بالعربية يشرح كل شيء دون مصطلحات تقنية.
                """),
            ),
            (
                "tarek@demo.test",
                350,
                10,
                _text("""
                    مرحباً، أستطيع تنفيذ السكربت وربطه بجدولك، وأقترح أيضاً لوحة بيانات بسيطة في Looker
                    Studio تعرض أكثر العطور مبيعاً. المدة عشرة أيام.
                """),
            ),
        ),
        story=(
            Step("hire", 12),
            Step("fund", 11.9),
            Step(
                "deliver",
                1.6,
                _text("""
                    السكربت جاهز ويعمل منذ ثلاث ليالٍ على الخادم: يقرأ ملف نقاط البيع في الحادية عشرة مساءً،
                    ويضيف مبيعات اليوم إلى ورقة «المبيعات اليومية» مجمعة حسب العطر والحجم، ويرسل تنبيهاً إلى
                    بريدك عندما ينزل مخزون أي صنف عن عشر قطع (وصلك أمس تنبيه عن عود كمبودي 50 مل). أرفقت
                    دليلاً مصوراً بالعربية. أرجو المراجعة والاعتماد إن كان كل شيء كما طلبتِ.
                """),
                files=("دليل-الاستخدام.pdf",),
            ),
        ),
    ),
    DemoProject(
        owner="client@demo.test",
        category="writing-translation",
        title="كتابة أوصاف تسويقية لأربعين عطراً في متجر إلكتروني",
        description=_text("""
            أجهز متجري الإلكتروني للعطور وأحتاج وصفاً تسويقياً لكل عطر من 40 عطراً، بين 80 و120 كلمة:
            الانطباع الأول، والمكونات في المقدمة والقلب والقاعدة، والمناسبة الأنسب، وثبات العطر. أريد لغة
            عربية راقية قريبة من القارئ الخليجي، مع عنوان قصير جذاب لكل عطر. سأرسل جدولاً بالمكونات.
        """),
        skills=("copywriting", "content-writing", "seo-writing"),
        budget=Budget.B100_250,
        duration=10,
        age=11,
        state=IN_PROGRESS,  # delivered, then the client asked for changes
        hire="hind@demo.test",
        offers=(
            (
                "rania@demo.test",
                140,
                10,
                _text("""
                    مرحباً، أكتب محتوى المنتجات بالعربية والإنجليزية، وألتزم بعدد الكلمات المطلوب وبالأسلوب
                    الذي تختارينه. التسليم على دفعتين.
                """),
            ),
            (
                "hind@demo.test",
                150,
                8,
                _text("""
                    مرحباً سارة، كتبت أوصاف منتجات لمتجرين للعطور والبخور، وأعرف أن العطر يُباع بالخيال قبل
                    التجربة. أكتب لكل عطر عنواناً قصيراً ووصفاً يأخذ القارئ إلى لحظة استخدامه، مع المكونات
                    بترتيب الهرم العطري. أرسل عشرة أوصاف أولاً لنعتمد الأسلوب، ثم الباقي.
                """),
            ),
            (
                "mona@demo.test",
                180,
                10,
                _text("""
                    أهلاً، أكتب المحتوى التسويقي وأدقق لغوياً، وأستطيع إعداد نسخة إنجليزية من الأوصاف لاحقاً إن
                    احتجتِ. أهتم بالكلمات التي يبحث بها الزبائن حتى تظهر صفحات المنتجات في نتائج البحث.
                """),
            ),
        ),
        story=(
            Step("hire", 9.5),
            Step("fund", 9.4),
            Step(
                "deliver",
                3.2,
                _text("""
                    أرسلت الأوصاف الأربعين مرتبة كما في جدولك: لكل عطر عنوان قصير ووصف بين 90 و115 كلمة،
                    والمكونات بترتيب المقدمة والقلب والقاعدة، والمناسبة الأنسب لكل عطر. أضفت في آخر الملف
                    اقتراحاً لجملة تعريفية عامة للمتجر.
                """),
                files=("أوصاف-العطور.pdf",),
            ),
            Step(
                "request_changes",
                2.1,
                _text("""
                    شكراً يا هند، الأسلوب جميل في أغلب الأوصاف. لكن نحو خمسة عشر وصفاً تبدأ بالجملة نفسها
                    تقريباً («عطر يأخذك في رحلة...»)، وأوصاف العطور الثقيلة كالعود والعنبر تحتاج ذكراً أوضح
                    للثبات وأنها أنسب للمساء والشتاء. أرجو أيضاً تقصير العناوين إلى ثلاث كلمات على الأكثر.
                """),
            ),
        ),
    ),
    DemoProject(
        owner="client2@demo.test",
        category="programming",
        title="لوحة تحكم لإدارة اشتراكات منصة تعليمية ومدفوعاتها",
        description=_text("""
            منصتنا التعليمية مبنية بجانغو، ونريد لوحة تحكم لفريق العمليات: عرض المشتركين وخططهم، وتجديد
            الاشتراكات وإلغاؤها، ورد المبالغ عبر بوابة الدفع، وتقارير شهرية بالإيرادات ونسبة الإلغاء. يجب أن
            تحترم اللوحة صلاحيات الموظفين، وأن تسجل كل عملية مالية باسم من نفذها.
        """),
        skills=("django", "python", "react", "databases"),
        budget=Budget.B1000_2500,
        duration=30,
        age=10,
        state=IN_PROGRESS,
        hire="freelancer@demo.test",
        offers=(
            (
                "tarek@demo.test",
                1000,
                30,
                _text("""
                    أهلاً، نفذت لوحات اشتراكات لمواقع عضويات على ووردبريس ولارافيل، وأستطيع العمل على مشروع
                    جانغو. أسلم خلال شهر.
                """),
            ),
            (
                "freelancer@demo.test",
                1200,
                25,
                _text("""
                    أهلاً أستاذ خالد، أعمل بجانغو ورياكت منذ ثماني سنوات، وبنيت لوحات مشابهة فيها صلاحيات
                    دقيقة وسجل تدقيق لكل عملية مالية. أبدأ بأسبوع لقراءة نماذج البيانات عندكم وتحديد
                    الصلاحيات مع فريق العمليات، ثم أسلم اللوحة على ثلاث دفعات، كل دفعة مع اختباراتها.
                """),
            ),
            (
                "omar@demo.test",
                1400,
                30,
                _text("""
                    مرحباً، أستطيع بناء اللوحة وتطبيق جوال مصغر لفريق العمليات يتابع منه التنبيهات. خبرتي
                    الأساسية فلاتر، ولدي خبرة جيدة في واجهات جانغو البرمجية.
                """),
            ),
        ),
        story=(Step("hire", 7), Step("fund", 6.9)),
    ),
    DemoProject(
        owner="client4@demo.test",
        category="marketing-sales",
        title="خطة تسويق لافتتاح مقهى مختص خلال أول ثلاثة أشهر",
        description=_text("""
            نفتتح مقهى مختصاً في الدوحة بعد شهر، ونحتاج خطة تسويق عملية للأشهر الثلاثة الأولى: تحديد
            الجمهور، وعروض الافتتاح، والتعاون مع المؤثرين المحليين، وخطة محتوى أسبوعية، وميزانية مقترحة
            موزعة على القنوات، مع مؤشرات نقيس بها النجاح.
        """),
        skills=("digital-marketing", "market-research", "social-media-marketing"),
        budget=Budget.B250_500,
        duration=14,
        age=8,
        state=IN_PROGRESS,
        hire="nader@demo.test",
        offers=(
            (
                "nader@demo.test",
                450,
                14,
                _text("""
                    مرحباً أستاذ عبد الله، أعددت خطط إطلاق لخمسة مقاهٍ ومطاعم في الخليج، أحدها في الدوحة. أبدأ
                    بدراسة المنافسين القريبين من موقعكم، ثم أسلمك خطة من ثلاثة أجزاء: الأسبوعان الأولان،
                    والشهر الأول، والشهران التاليان، مع ميزانية وجدول محتوى جاهز للتنفيذ.
                """),
            ),
            (
                "youssef@demo.test",
                500,
                12,
                _text("""
                    أهلاً، أدير إعلانات ممولة لمطاعم ومقاهٍ في قطر والسعودية، وأستطيع أن أجعل الخطة قابلة
                    للتنفيذ مباشرة بإعلانات جاهزة للإطلاق يوم الافتتاح.
                """),
            ),
        ),
        story=(Step("hire", 5), Step("fund", 4.8)),
    ),
    DemoProject(
        owner="client5@demo.test",
        category="programming",
        title="تطبيق جوال لحجز الدورات في مركز تدريب",
        description=_text("""
            مركزنا في مسقط يقدم نحو 30 دورة في الشهر، ونريد تطبيقاً لأندرويد وآيفون يعرض الدورات القادمة،
            ويتيح التسجيل والدفع، ويرسل تذكيراً قبل موعد الدورة، ويصدر شهادة الحضور بصيغة PDF. لدينا موقع
            ووردبريس يمكن ربط التطبيق به.
        """),
        skills=("flutter", "mobile-apps", "apis"),
        budget=Budget.B1000_2500,
        duration=40,
        age=31,
        state=CANCELLED,
        hire="omar@demo.test",
        offers=(
            (
                "omar@demo.test",
                1600,
                40,
                _text("""
                    مرحباً أستاذة مريم، بنيت بفلاتر تطبيقاً لحجز المواعيد وآخر لتوصيل الطلبات، وأربط
                    التطبيقات بووردبريس عبر واجهته البرمجية. أسلم على ثلاث مراحل: عرض الدورات والتسجيل، ثم
                    الدفع والتذكير، ثم الشهادات والنشر في المتجرين.
                """),
            ),
            (
                "tarek@demo.test",
                1400,
                45,
                _text("""
                    أهلاً، أقترح إضافة بسيطة لموقع ووردبريس الحالي تدير الدورات والتسجيل، ثم تطبيقاً خفيفاً
                    يعرض البيانات نفسها، فيبقى مصدر البيانات واحداً. المدة 45 يوماً.
                """),
            ),
        ),
        story=(
            Step("hire", 28),
            Step("fund", 27.8),
            Step(
                "propose_cancel",
                25,
                _text("""
                    أعتذر منك أستاذة مريم، تعرضت لظرف عائلي طارئ يضطرني إلى السفر أسابيع عدة، ولن
                    أستطيع الالتزام بالمواعيد التي اتفقنا عليها. لم أبدأ إلا في تصميم قاعدة البيانات، لذلك
                    أقترح إلغاء العقد واسترداد المبلغ كاملاً إلى رصيدك حتى تتعاقدي مع مستقل آخر دون تأخير.
                """),
                by="freelancer",
            ),
            Step("accept_cancel", 24.6, by="client"),
        ),
    ),
    DemoProject(
        owner="client6@demo.test",
        category="engineering-architecture",
        title="تصميم داخلي وإظهار ثلاثي الأبعاد لمكتب مبيعات مشروع سكني",
        description=_text("""
            نجهز مكتب مبيعات لمشروعنا السكني الجديد في المنامة، مساحته 120 متراً مربعاً: استقبال، ومنطقة
            لعرض المجسم، وغرفتا اجتماعات، وركن للقهوة. نريد تصميماً داخلياً عصرياً يعكس فخامة المشروع، مع
            مخطط لتوزيع الأثاث، وست لقطات إظهار واقعية، وجدول بالمواد والتشطيبات ضمن ميزانية التنفيذ التي
            سنرسلها مع مخطط الموقع.
        """),
        skills=("interior-design", "3d-modeling", "3ds-max", "autocad"),
        budget=Budget.B1000_2500,
        duration=20,
        age=27,
        state=IN_PROGRESS,  # in dispute, waiting for a moderator
        hire="karim@demo.test",
        offers=(
            (
                "karim@demo.test",
                1100,
                20,
                _text("""
                    مرحباً أستاذ فيصل، صممت مكاتب مبيعات لمشروعين سكنيين في بيروت ودبي، وأعرف أن المكتب جزء
                    من تسويق المشروع نفسه. أبدأ بمخطط التوزيع خلال خمسة أيام، ثم الإظهار بست لقطات، وأسلم
                    جدول المواد مع تقدير للتكلفة.
                """),
            ),
            (
                "majed@demo.test",
                1300,
                25,
                _text("""
                    أهلاً، أنا مهندس معماري في السعودية وأعمل على مشاريع تجارية في الخليج. أقدم مخططات
                    تنفيذية كاملة مع الإظهار، حتى يستطيع المقاول البدء مباشرة.
                """),
            ),
        ),
        story=(
            Step("hire", 25),
            Step("fund", 24.8),
            Step(
                "deliver",
                10,
                _text("""
                    أرفقت مخطط توزيع الأثاث ولقطات الإظهار: الاستقبال بجدار من الحجر الطبيعي يحمل شعار
                    المشروع، ومنطقة المجسم تحت سقف مضاء، وغرفتا الاجتماعات بزجاج مصنفر، وركن القهوة بجوار
                    النافذة. جدول المواد والتشطيبات مع تقدير التكلفة في آخر ملف المخطط.
                """),
                files=("مخطط-التوزيع.pdf", "لقطة-الاستقبال.jpg", "لقطة-منطقة-المجسم.jpg"),
            ),
            Step(
                "request_changes",
                8.5,
                _text("""
                    التصميم جميل لكنه لا يطابق مخطط الموقع الذي أرسلناه: عرض المكتب في الإظهار 11 متراً والفعلي
                    9.4، والعمود الموجود وسط منطقة المجسم غير ظاهر. كما أن تقدير التشطيبات يتجاوز ميزانية
                    التنفيذ بنحو 40% بسبب الحجر الطبيعي والرخام. نرجو التعديل على المقاسات الصحيحة وضمن
                    الميزانية.
                """),
            ),
            Step(
                "deliver",
                4,
                _text("""
                    عدلت المخطط على عرض 9.4 متر، وأدخلت العمود في التصميم عنصرَ عرض يحمل شاشة المشروع،
                    واستبدلت بالحجر الطبيعي بورسلاناً بملمس الحجر وبالرخام الكوارتز، فصار التقدير ضمن
                    الميزانية. أرفقت المخطط المعدل وجدول المواد الجديد ولقطة الاستقبال بعد التعديل.
                """),
                files=("مخطط-التوزيع-معدل.pdf", "لقطة-الاستقبال-معدلة.jpg"),
            ),
            Step(
                "open_dispute",
                1.2,
                _text("""
                    ما زالت غرفتا الاجتماعات في التسليم الثاني مرسومتين بعمق 4 أمتار، بينما المتاح 3.2 متر حسب
                    مخطط الموقع الذي أرسلناه مع الطلب، فالتصميم غير قابل للتنفيذ كما هو. طلبنا تصحيح ذلك فرد
                    المصمم بأن أي تعديل إضافي يحتاج دفعة جديدة. نطلب من الإدارة مراجعة الملفات والمحادثة، فلا
                    نرى أن تصحيح مقاس خاطئ تعديل إضافي.
                """),
                by="client",
            ),
        ),
    ),
]


class MoneyStep(NamedTuple):
    """A person's own move on their wallet, `age` days ago, outside any contract.

    action: deposit (a card that pays), declined_deposit (a card that is declined), identity (sends an
    identity document), approve_identity or reject_identity (a moderator reviews the person's waiting
    document; `note` is the reason), withdraw (by `method`, to the details in PAYOUTS), pay (finance
    pays the person's oldest waiting withdrawal).
    """

    age: float
    email: str
    action: str
    dollars: int = 0
    method: str = ""
    note: str = ""


# Contract money (funding, releases, refunds, clearance) comes from the projects' stories; this is the
# rest. Clients whose balance is short when they fund add the difference then, as the site offers.
WALLET_STORY = [
    MoneyStep(43.2, "client@demo.test", "deposit", 1000),
    MoneyStep(22.4, "layla@demo.test", "identity"),
    MoneyStep(
        22.1,
        "layla@demo.test",
        "reject_identity",
        note=_text("""
            الصورة مقصوصة من الأسفل فلا يظهر رقم الهوية ولا تاريخ انتهائها. أرسلي صورة كاملة للوجه الأمامي
            في إضاءة جيدة ودون انعكاس.
        """),
    ),
    MoneyStep(21, "freelancer@demo.test", "identity"),
    MoneyStep(20.7, "freelancer@demo.test", "approve_identity"),
    MoneyStep(20, "freelancer@demo.test", "withdraw", 700, method="paypal"),
    MoneyStep(19.2, "freelancer@demo.test", "pay"),
    MoneyStep(6.93, "client2@demo.test", "declined_deposit", 1500),
    MoneyStep(6.92, "client2@demo.test", "deposit", 1500),
    MoneyStep(1.3, "client@demo.test", "deposit", 2000),  # ready to fund the perfume store's hire
    MoneyStep(0.9, "freelancer@demo.test", "withdraw", 300, method="bank"),
    MoneyStep(0.7, "youssef@demo.test", "identity"),
    MoneyStep(0.4, "layla@demo.test", "identity"),
]

PAYOUTS = {
    "freelancer@demo.test": {
        "paypal_email": "ahmed.mansour@example.com",
        "bank_holder": "أحمد منصور",
        "bank_iban": "EG38 0019 0005 0000 0000 2631 8000 2",
        "bank_name": "البنك الأهلي المصري",
    },
}


def load_demo_projects() -> int:
    """Create the demo projects, offers, contracts and wallets; returns how many projects were created
    (none the second time). Raises, and keeps nothing, if the ledger's audit is not clean at the end."""
    if Project.objects.filter(owner__email=MARKER_OWNER).exists():
        return 0
    # Pending and rejected projects need moderation, whatever the development settings say; deposits go
    # through the sandbox gateway, whichever gateway the settings name.
    with (
        override_settings(PROJECT_AUTO_APPROVE=False, PAYMENT_GATEWAY=SandboxGateway.name),
        transaction.atomic(),
    ):
        people = {user.email: user for user in User.objects.filter(email__endswith="@demo.test")}
        categories = {category.slug: category for category in Category.objects.all()}
        skills = {skill.slug: skill for skill in Skill.objects.all()}
        now = timezone.now()
        timeline = Timeline(now)
        stories = []
        for index, demo in enumerate(PROJECTS):
            contract = _load(index, demo, people, categories, skills, now)
            if contract is not None:
                stories.append((demo, contract))
                for step in demo.story[1:]:
                    timeline.add(step.age, _contract_move(step, contract, people[MODERATOR]))
        for step in WALLET_STORY:
            timeline.add(step.age, _wallet_move(step, people))
        timeline.run()
        _check(stories)
    return len(PROJECTS)


def _check_story(demo: DemoProject) -> None:
    if (demo.state in STORY_STATES) != bool(demo.story):
        raise ValueError(f"{demo.title}: only in-progress, completed and cancelled projects have a story.")
    if demo.story:
        ages = [step.age for step in demo.story]
        if demo.story[0].action != "hire" or ages != sorted(ages, reverse=True) or len(set(ages)) < len(ages):
            raise ValueError(f"{demo.title}: a story starts with the hire and goes forward in time.")


def _load(
    index: int, demo: DemoProject, people: dict, categories: dict, skills: dict, now
) -> Contract | None:
    """Post the project and take it as far as its state; returns the contract whose story is to run."""
    _check_story(demo)
    rng = random.Random(index)
    owner, moderator = people[demo.owner], people[MODERATOR]
    project = services.post_project(
        owner=owner,
        title=demo.title,
        description=demo.description,
        category=categories[demo.category],
        skills=[skills[slug] for slug in demo.skills],
        budget=demo.budget,
        duration_days=demo.duration,
    )
    age = datetime.timedelta(days=demo.age)
    age += min(age * 0.3, datetime.timedelta(hours=6)) * rng.uniform(-1, 1)  # not all at the same hour
    posted = now - age
    review = min(age * 0.1, datetime.timedelta(hours=rng.uniform(1, 6)))
    times = {"posted": posted}
    placed = {}
    contract = None

    if demo.state == REJECTED:
        services.reject_project(moderator=moderator, project=project, reason=demo.note)
        times["rejected"] = posted + review
    elif demo.state == CLOSED and not demo.offers:  # closed by its owner before anyone reviewed it
        services.close_project(owner=owner, project=project)
        times["closed"] = posted + age * 0.4
    elif demo.state != PENDING:
        services.approve_project(moderator=moderator, project=project)
        published = times["approved"] = posted + review
        span = now - published
        # The share of the project's life by which its offers had arrived; the owner decided after.
        if demo.story:
            hired = now - datetime.timedelta(days=demo.story[0].age)
            if hired <= published:
                raise ValueError(f"{demo.title}: hired before it was published.")
            offers_until = 0.85 * ((hired - published) / span)
        else:
            offers_until = {OPEN: 0.9, CLOSED: 0.6, HIRING: 0.5, REOPENED: 0.4}[demo.state]
        moments = sorted(published + span * rng.uniform(0.03, offers_until) for _ in demo.offers)
        offers = {}
        for (email, dollars, days, text), moment in zip(demo.offers, moments, strict=True):
            freelancer = people[email]
            if services.offers_left_this_month(freelancer) <= 0:  # spent by a developer's own trials
                continue
            offers[email] = services.place_offer(
                freelancer=freelancer,
                project=project,
                amount_cents=dollars * 100,
                duration_days=days,
                text=text,
            )
            placed[offers[email].pk] = moment
        if demo.state == CLOSED:
            services.close_project(owner=owner, project=project)
            times["closed"] = published + span * 0.7
        elif demo.story and demo.hire in offers:  # the rest of its story runs on the Timeline
            contract = services.hire(owner=owner, project=project, offer=offers[demo.hire])
            times["hired"] = hired
        elif demo.state in (HIRING, REOPENED) and demo.hire in offers:
            hire = services.hire(owner=owner, project=project, offer=offers[demo.hire])
            times["hired"] = published + span * (0.6 if demo.state == HIRING else 0.45)
            if demo.state == REOPENED:
                contract_services.decline_hire(freelancer=people[demo.hire], contract=hire, reason=demo.note)
                times["reopened"] = published + span * 0.55
    _backdate(project, times, placed)
    return contract


def _backdate(project: Project, times: dict, placed: dict) -> None:
    """Move the timestamps of a project, its events, offers and contract to when they happened."""
    last = max(times.values())
    fields = {"created_at": times["posted"], "updated_at": last}
    if "approved" in times:
        fields["published_at"] = times["approved"]
    Project.objects.filter(pk=project.pk).update(**fields)
    for action, moment in times.items():
        ProjectEvent.objects.filter(project=project, action=action).update(created_at=moment)
    for pk, moment in placed.items():
        Offer.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)
    # Offers that were hired, declined or not hired changed with the project's last decision.
    project.offers.exclude(status=Offer.Status.SUBMITTED).update(updated_at=last)
    if "hired" in times:
        Contract.objects.filter(project=project).update(created_at=times["hired"], updated_at=last)
        ContractEvent.objects.filter(contract__project=project, action="hire").update(
            created_at=times["hired"]
        )
        ContractEvent.objects.filter(contract__project=project, action="decline").update(
            created_at=times.get("reopened", last)
        )


# --- Money, in the order it moved ----------------------------------------------------------------

TOP_UP_BEFORE = datetime.timedelta(minutes=12)

Move = Callable[["Timeline", datetime.datetime], None]


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Stop the clock at `moment`: every timestamp the block's services write is `moment`.

    The ledger's history is append-only (on PostgreSQL a trigger refuses any UPDATE), so a transfer
    cannot be dated afterwards: it has to be written at its moment.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class Timeline:
    """The demo's money moves, run in the order they happened across all projects, each dated then.

    A statement shows each entry's balance after it, computed when the entry is written: so entries are
    written in date order. Before each moment the clearance sweep runs up to it, as the periodic task
    would have, and each earning clears on the day it fell due.
    """

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.moves: list[tuple[datetime.datetime, int, Move]] = []
        self.last: datetime.datetime | None = None

    def add(self, age: float, move: Move) -> None:
        self.moves.append((self.now - datetime.timedelta(days=age), len(self.moves), move))

    def run(self) -> None:
        for moment, _order, move in sorted(self.moves, key=lambda item: item[:2]):
            move(self, moment)
        self.sweep(self.now)

    @contextmanager
    def at(self, moment: datetime.datetime) -> Iterator[None]:
        """Run the block's services as if at `moment`."""
        if not moment < self.now or (self.last is not None and moment < self.last):
            raise ValueError(f"The demo's money moves are out of order at {moment}.")
        self.sweep(moment)
        self.last = moment
        with clock_at(moment):
            yield

    def sweep(self, until: datetime.datetime) -> None:
        due = PendingEarning.objects.filter(clearance__isnull=True, clears_at__lte=until)
        for clears_at in sorted(set(due.values_list("clears_at", flat=True))):
            with clock_at(clears_at):
                wallet.clear_due_earnings(now=clears_at)


def _contract_move(step: Step, contract: Contract, moderator: User) -> Move:
    client, freelancer = contract.client, contract.freelancer
    side = {"client": client, "freelancer": freelancer}

    def move(timeline: Timeline, moment: datetime.datetime) -> None:
        if step.action == "fund":
            _fund(timeline, moment, contract)
            return
        with timeline.at(moment):
            if step.action == "deliver":
                files = [_attachment(name) for name in step.files]
                contract_services.deliver(
                    freelancer=freelancer, contract=contract, message=step.text, files=files
                )
            elif step.action == "request_changes":
                contract_services.request_changes(client=client, contract=contract, message=step.text)
            elif step.action == "accept":
                contract_services.accept_delivery(client=client, contract=contract)
            elif step.action == "propose_cancel":
                contract_services.propose_cancellation(
                    user=side[step.by], contract=contract, reason=step.text
                )
            elif step.action == "accept_cancel":
                contract_services.answer_cancellation(user=side[step.by], contract=contract, accept=True)
            elif step.action == "open_dispute":
                contract_services.open_dispute(user=side[step.by], contract=contract, reason=step.text)
            elif step.action == "decide":
                contract_services.resolve_dispute(
                    moderator=moderator,
                    contract=contract,
                    freelancer_share_cents=step.share * 100,
                    decision=step.text,
                )
            else:
                raise ValueError(f"Unknown step {step.action!r}.")

    return move


def _fund(timeline: Timeline, moment: datetime.datetime, contract: Contract) -> None:
    client = contract.client
    shortfall = contract.amount_cents - wallet.balances(client)["available"]
    if shortfall > 0:  # the client adds the difference (in whole hundreds) from the contract's page
        with timeline.at(moment - TOP_UP_BEFORE):
            _deposit(client, -(-shortfall // 100_00) * 100_00, return_to=contract.get_absolute_url())
    with timeline.at(moment):
        contract_services.fund_contract(client=client, contract=contract)
    Offer.objects.filter(project_id=contract.project_id, status=Offer.Status.NOT_HIRED).update(
        updated_at=moment
    )


def _deposit(user: User, amount_cents: int, *, card: str = SUCCEEDING_CARD, return_to: str = "") -> None:
    """The way money comes in: a deposit, paid on the sandbox's checkout, confirmed by its webhook."""
    deposit = wallet.start_deposit(user=user, amount_cents=amount_cents, return_to=return_to)
    body, signature = SandboxGateway().charge(deposit, card)
    webhooks.handle(gateway_name=SandboxGateway.name, body=body, signature=signature)
    deposit.refresh_from_db()
    expected = Deposit.Status.SUCCEEDED if card == SUCCEEDING_CARD else Deposit.Status.FAILED
    if deposit.status != expected:
        raise RuntimeError(f"The demo's deposit {deposit.pk} is {deposit.status}, not {expected}.")


def _wallet_move(step: MoneyStep, people: dict) -> Move:
    person, moderator = people[step.email], people[MODERATOR]

    def move(timeline: Timeline, moment: datetime.datetime) -> None:
        with timeline.at(moment):
            if step.action in ("deposit", "declined_deposit"):
                card = SUCCEEDING_CARD if step.action == "deposit" else DECLINED_CARD
                _deposit(person, step.dollars * 100, card=card)
            elif step.action == "identity":
                wallet.submit_identity_document(user=person, document=_identity_document(person))
            elif step.action in ("approve_identity", "reject_identity"):
                wallet.review_identity(
                    moderator=moderator,
                    verification=person.identity_checks.get(status=IdentityVerification.Status.PENDING),
                    approve=step.action == "approve_identity",
                    reason=step.note,
                )
            elif step.action == "withdraw":
                if wallet.balances(person)["available"] < step.dollars * 100:
                    return  # an earning of theirs is missing: their hire fell to the offer quota (_load)
                details = PAYOUTS[step.email]
                if step.method == Withdrawal.Method.PAYPAL:
                    details = {"paypal_email": details["paypal_email"]}
                else:
                    details = {key: value for key, value in details.items() if key.startswith("bank_")}
                wallet.request_withdrawal(
                    user=person, amount_cents=step.dollars * 100, method=step.method, **details
                )
            elif step.action == "pay":
                waiting = person.withdrawals.filter(status=Withdrawal.Status.REQUESTED).order_by("created_at")
                if waiting:
                    wallet.mark_withdrawal_paid(staff=moderator, withdrawal=waiting[0])
            else:
                raise ValueError(f"Unknown wallet step {step.action!r}.")

    return move


def _check(stories: list[tuple[DemoProject, Contract]]) -> None:
    """Each story ended where its project says, and the ledger balances: or nothing is kept."""
    for demo, contract in stories:
        status = Project.objects.get(pk=contract.project_id).status
        if status != demo.state:
            raise RuntimeError(f"The demo project «{demo.title}» ended {status}, not {demo.state}.")
    report = ledger.audit()
    if not report.is_clean:
        raise RuntimeError("The demo's ledger does not balance:\n" + "\n".join(report.problems))


# --- Files, drawn here so that the demo ships no binary files and needs no network -----------------


def _page(rng: random.Random) -> Image.Image:
    """A document's first page: a coloured heading, then lines of "text"."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    colour = rng.choice(["#0f766e", "#7c3aed", "#b45309", "#1d4ed8"])
    draw.rectangle((0, 0, 595, 110), fill=colour)
    draw.rectangle((350, 40, 545, 60), fill="white")
    top = 150
    for _ in range(rng.randrange(14, 22)):
        if rng.random() < 0.15:
            top += 20  # a paragraph break
        draw.rectangle((rng.randrange(50, 200), top, 545, top + 9), fill="#cbd5e1")
        top += 26
        if top > 790:
            break
    return page


def _picture(rng: random.Random) -> Image.Image:
    """A render, a screenshot or a design preview: shapes in one palette."""
    dark, light = rng.choice([("#0f766e", "#ccfbf1"), ("#7c2d12", "#fde68a"), ("#1e3a8a", "#dbeafe")])
    picture = Image.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(picture)
    for _ in range(9):
        x, y = rng.randrange(1200), rng.randrange(800)
        width, height = rng.randrange(80, 400), rng.randrange(60, 300)
        draw.rectangle((x, y, x + width, y + height), fill=rng.choice([dark, "#ffffff", "#94a3b8"]))
    draw.rectangle((0, 700, 1200, 800), fill=dark)
    return picture


def _attachment(name: str) -> CleanFile:
    """A delivery's file, passed through the same checks as an uploaded one."""
    rng = random.Random(name)
    buffer = io.BytesIO()
    if name.endswith(".pdf"):
        _page(rng).save(buffer, "PDF")
        content_type = "application/pdf"
    else:
        _picture(rng).save(buffer, "JPEG", quality=80)
        content_type = "image/jpeg"
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
    return clean_deliverable(upload)


def _identity_document(person: User) -> CleanFile:
    """A small picture of an identity card, marked as a specimen, checked like the identity form's."""
    card = Image.new("RGB", (480, 300), "#f1f5f9")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 480, 56), fill="#0f766e")
    draw.text((16, 22), "DEMO IDENTITY CARD - SPECIMEN, NOT A REAL DOCUMENT", fill="white")
    draw.rectangle((24, 80, 144, 236), fill="#cbd5e1")
    draw.ellipse((54, 100, 114, 160), fill="#94a3b8")
    draw.rectangle((44, 170, 124, 236), fill="#94a3b8")
    for row in range(5):
        draw.rectangle((170, 90 + row * 30, 440 - row * 30, 102 + row * 30), fill="#cbd5e1")
    draw.text((170, 256), f"No. {person.pk:09d}", fill="#334155")
    buffer = io.BytesIO()
    card.save(buffer, "PNG")
    upload = SimpleUploadedFile("identity-card.png", buffer.getvalue(), content_type="image/png")
    return clean_file(upload, kinds={"image", "pdf"})
