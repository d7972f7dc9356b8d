"""Issue 13 in the demo: a project paid in milestones (one paid, one in progress with more days agreed,
a bonus, a proposed extra milestone), and a direct contract offered to a freelancer worked with before."""

CLIENT = "client@demo.test"
FREELANCER = "freelancer@demo.test"

STAGED = {
    "title": "متجر إلكتروني لمحمصة قهوة على ثلاث مراحل",
    "description": (
        "نريد متجرًا إلكترونيًا لمحمصة قهوة مختصة: صفحات للمنتجات والاشتراكات الشهرية، وسلة شراء، "
        "ودفع إلكتروني، ولوحة بسيطة لإدارة الطلبات. نفضّل العمل على مراحل نراجع كل واحدة منها قبل التالية."
    ),
    "category": "programming",
    "skills": ("wordpress", "php", "web-development", "ecommerce"),
    "budget": "1000-2500",
    "duration": 30,
    "offer_text": (
        "أقترح تقسيم العمل إلى ثلاث مراحل: التصميم وهيكل الصفحات، ثم برمجة المتجر والدفع، ثم الإطلاق "
        "والتدريب. تستلم كل مرحلة وتراجعها قبل أن تموّل التالية."
    ),
    "milestones": (
        ("التصميم وهيكل الصفحات", 400, 7),
        ("برمجة المتجر والدفع الإلكتروني", 900, 14),
        ("الإطلاق والتدريب", 300, 5),
    ),
    "delivery": "أرفقت تصميم الصفحات الرئيسية وهيكل المتجر كما اتفقنا، مع ملاحظات حول تجربة الشراء.",
    "extension": (5, "بوابة الدفع تطلب توثيقًا إضافيًا للحساب، ونحتاج بضعة أيام حتى تصل الموافقة."),
    "bonus": (50, "شكرًا على التصميم المتقن والتسليم قبل الموعد."),
    "new_milestone": ("ربط المتجر بتطبيق الشحن", 200, 4),
}

REHIRE = {
    "title": "صفحة هبوط لحملة رمضان",
    "description": "صفحة هبوط سريعة لحملة رمضان بنفس أسلوب المتجر، مع نموذج للحجز المسبق.",
    "milestones": (("التصميم", 150, 3), ("البرمجة والنشر", 250, 4)),
}
