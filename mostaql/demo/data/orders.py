"""The demo's service orders: client@demo.test buys the services of freelancer@demo.test, one order in
each state an order can be in, so that both dashboards, the order page and the API show every case.

Each: (service title, how many of its upgrades, quantity, what happens to it, the buyer's requirements,
hours since its clock started (the requirements; None when not sent)).
"""

from dataclasses import dataclass

DJANGO = "سأبني لك موقعاً بجانغو مع لوحة تحكم كاملة"
SCRIPT = "سأكتب لك سكربت بايثون يؤتمت مهمة متكررة"
REACT = "سأصلح أخطاء تطبيق رياكت الخاص بك خلال يوم"

BUYER, SELLER = "client@demo.test", "freelancer@demo.test"
# Paid in one deposit before the orders, so the client's money for the perfume store's hire stays whole.
ORDERS_DEPOSIT_DOLLARS = 600


@dataclass(frozen=True)
class DemoOrder:
    service: str
    upgrades: int
    quantity: int
    # awaiting_requirements, active, late, delivered, changes, completed, declined, cancelled_late,
    # cancelled, disputed
    story: str
    requirements: str = ""
    started_hours_ago: float | None = None


REQUIREMENTS = {
    "excel": "لدي ملفا إكسل بأسماء العملاء وطلباتهم، وأريد دمجهما في ملف واحد كل صباح وإرساله إلى بريدي.",
    "react": "صفحة السلة في تطبيقي لا تحدّث المجموع عند حذف منتج، والرابط إلى المستودع في الملف المرفق.",
    "django": "أحتاج موقعاً لمكتبتي: صفحة للكتب مع البحث، ولوحة لإضافة الكتب وتعديل الأسعار والمخزون.",
}

ORDERS = [
    DemoOrder(SCRIPT, 1, 1, "awaiting_requirements"),
    DemoOrder(DJANGO, 2, 1, "active", REQUIREMENTS["django"], started_hours_ago=30),
    DemoOrder(REACT, 0, 1, "late", REQUIREMENTS["react"], started_hours_ago=29),
    DemoOrder(SCRIPT, 0, 2, "delivered", REQUIREMENTS["excel"], started_hours_ago=40),
    DemoOrder(REACT, 1, 1, "changes", REQUIREMENTS["react"], started_hours_ago=20),
    DemoOrder(SCRIPT, 2, 1, "completed", REQUIREMENTS["excel"], started_hours_ago=50),
    DemoOrder(REACT, 0, 1, "declined"),
    DemoOrder(SCRIPT, 0, 1, "cancelled_late", REQUIREMENTS["excel"], started_hours_ago=80),
    DemoOrder(REACT, 0, 1, "cancelled", REQUIREMENTS["react"], started_hours_ago=10),
    DemoOrder(SCRIPT, 1, 1, "disputed", REQUIREMENTS["excel"], started_hours_ago=12),
]

HELLO = "مرحباً، طلبت خدمتك الآن. هل يمكنك البدء اليوم؟"
WELCOME = "أهلاً بك، شكراً لطلبك! أبدأ فور وصول المتطلبات، وسأطلعك على التقدم هنا."
DELIVERY = "أرفقت لك العمل كاملاً مع شرح مختصر لتشغيله. أخبرني إن احتجت أي تعديل."
CHANGES = "شكراً لك، لكن أرجو أن يُرسل الملف الناتج بصيغة CSV أيضاً إلى جانب إكسل."
DECLINE = "أعتذر، لا أستطيع تنفيذ الطلب هذا الأسبوع لانشغالي بمشروع آخر."
CANCEL = "اتفقنا على تأجيل العمل إلى الشهر القادم، فلنلغِ الطلب الآن."
DISPUTE = "سلّمت السكربت لكن المشتري يطلب ميزات لم تكن في وصف الخدمة ولا في الترقيات التي اختارها."
BUYER_REVIEW = "خدمة ممتازة: السكربت يعمل كل صباح دون أي تدخل مني، والتواصل كان سريعاً وواضحاً."
SELLER_REVIEW = "مشترٍ واضح في متطلباته ويرد بسرعة، سعدت بالعمل معه."
SELLER_REPLY = "شكراً لثقتك، سعدت بالعمل معك وأنا جاهز لأي تعديل مستقبلاً."
