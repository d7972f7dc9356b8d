"""The starting catalog: the categories and skills of an Arabic freelance marketplace.

Loaded by a data migration, so every database (development, tests, production) starts with it;
staff edit it in the admin afterwards. Each row: (slug, Arabic name, English name).
"""

CATALOG = [
    (
        ("programming", "برمجة وتطوير", "Programming & Development"),
        [
            ("python", "بايثون", "Python"),
            ("django", "جانغو", "Django"),
            ("php", "بي إتش بي", "PHP"),
            ("laravel", "لارافيل", "Laravel"),
            ("javascript", "جافاسكربت", "JavaScript"),
            ("react", "رياكت", "React"),
            ("wordpress", "ووردبريس", "WordPress"),
            ("mobile-apps", "تطبيقات الجوال", "Mobile Apps"),
            ("flutter", "فلاتر", "Flutter"),
            ("databases", "قواعد البيانات", "Databases"),
            ("web-development", "تطوير المواقع", "Web Development"),
            ("apis", "واجهات برمجة التطبيقات", "APIs"),
        ],
    ),
    (
        ("design", "تصميم", "Design"),
        [
            ("logo-design", "تصميم شعارات", "Logo Design"),
            ("graphic-design", "تصميم جرافيك", "Graphic Design"),
            ("ui-ux", "تصميم واجهات المستخدم", "UI/UX Design"),
            ("photoshop", "فوتوشوب", "Photoshop"),
            ("illustrator", "إليستريتور", "Illustrator"),
            ("brand-identity", "هوية بصرية", "Brand Identity"),
            ("social-media-design", "تصاميم السوشيال ميديا", "Social Media Design"),
            ("print-design", "تصميم مطبوعات", "Print Design"),
            ("illustration", "رسم توضيحي", "Illustration"),
            ("arabic-calligraphy", "خط عربي", "Arabic Calligraphy"),
        ],
    ),
    (
        ("writing-translation", "كتابة وترجمة", "Writing & Translation"),
        [
            ("content-writing", "كتابة محتوى", "Content Writing"),
            ("copywriting", "كتابة إعلانية", "Copywriting"),
            ("article-writing", "كتابة مقالات", "Article Writing"),
            ("translation-en-ar", "ترجمة من الإنجليزية إلى العربية", "English to Arabic Translation"),
            ("translation-ar-en", "ترجمة من العربية إلى الإنجليزية", "Arabic to English Translation"),
            ("proofreading", "تدقيق لغوي", "Proofreading"),
            ("seo-writing", "كتابة متوافقة مع السيو", "SEO Writing"),
            ("technical-writing", "كتابة تقنية", "Technical Writing"),
            ("creative-writing", "كتابة إبداعية", "Creative Writing"),
        ],
    ),
    (
        ("marketing-sales", "تسويق ومبيعات", "Marketing & Sales"),
        [
            ("digital-marketing", "تسويق إلكتروني", "Digital Marketing"),
            ("social-media-marketing", "إدارة حسابات التواصل الاجتماعي", "Social Media Marketing"),
            ("seo", "تحسين محركات البحث", "SEO"),
            ("google-ads", "إعلانات جوجل", "Google Ads"),
            ("facebook-ads", "إعلانات فيسبوك", "Facebook Ads"),
            ("email-marketing", "التسويق بالبريد الإلكتروني", "Email Marketing"),
            ("market-research", "أبحاث السوق", "Market Research"),
            ("sales", "مبيعات", "Sales"),
            ("ecommerce", "التجارة الإلكترونية", "E-commerce"),
        ],
    ),
    (
        ("engineering-architecture", "هندسة وعمارة", "Engineering & Architecture"),
        [
            ("autocad", "أوتوكاد", "AutoCAD"),
            ("revit", "ريفيت", "Revit"),
            ("3d-modeling", "نمذجة ثلاثية الأبعاد", "3D Modeling"),
            ("interior-design", "تصميم داخلي", "Interior Design"),
            ("architectural-design", "تصميم معماري", "Architectural Design"),
            ("structural-engineering", "هندسة إنشائية", "Structural Engineering"),
            ("electrical-engineering", "هندسة كهربائية", "Electrical Engineering"),
            ("3ds-max", "ثري دي ماكس", "3ds Max"),
        ],
    ),
    (
        ("business-consulting", "أعمال واستشارات", "Business & Consulting"),
        [
            ("business-plans", "خطط عمل", "Business Plans"),
            ("feasibility-studies", "دراسات جدوى", "Feasibility Studies"),
            ("accounting", "محاسبة", "Accounting"),
            ("financial-analysis", "تحليل مالي", "Financial Analysis"),
            ("project-management", "إدارة مشاريع", "Project Management"),
            ("legal-consulting", "استشارات قانونية", "Legal Consulting"),
            ("human-resources", "موارد بشرية", "Human Resources"),
            ("excel", "إكسل", "Excel"),
        ],
    ),
    (
        ("training-education", "تدريب وتعليم", "Training & Education"),
        [
            ("online-tutoring", "دروس خصوصية عن بعد", "Online Tutoring"),
            ("course-design", "تصميم دورات تدريبية", "Course Design"),
            ("arabic-teaching", "تعليم اللغة العربية", "Teaching Arabic"),
            ("english-teaching", "تعليم اللغة الإنجليزية", "Teaching English"),
            ("quran-teaching", "تحفيظ القرآن الكريم", "Quran Teaching"),
            ("programming-teaching", "تعليم البرمجة", "Teaching Programming"),
            ("presentations", "عروض تقديمية", "Presentations"),
            ("educational-content", "محتوى تعليمي", "Educational Content"),
        ],
    ),
    (
        ("video-audio", "فيديو وصوتيات", "Video & Audio"),
        [
            ("video-editing", "مونتاج فيديو", "Video Editing"),
            ("motion-graphics", "موشن جرافيك", "Motion Graphics"),
            ("voice-over", "تعليق صوتي", "Voice Over"),
            ("subtitles", "ترجمة وتفريغ الفيديو", "Subtitles & Transcription"),
            ("whiteboard-animation", "فيديو رسوم متحركة", "Whiteboard Animation"),
            ("podcast-editing", "تحرير بودكاست", "Podcast Editing"),
            ("audio-production", "هندسة صوتية", "Audio Production"),
            ("after-effects", "أفتر إفكتس", "After Effects"),
            ("product-photography", "تصوير منتجات", "Product Photography"),
        ],
    ),
    (
        ("data-entry-support", "إدخال بيانات ودعم", "Data Entry & Support"),
        [
            ("data-entry", "إدخال بيانات", "Data Entry"),
            ("virtual-assistant", "مساعد افتراضي", "Virtual Assistant"),
            ("customer-support", "خدمة العملاء", "Customer Support"),
            ("web-research", "بحث على الإنترنت", "Web Research"),
            ("typing", "كتابة على الحاسوب", "Typing"),
            ("spreadsheets", "جداول البيانات", "Spreadsheets"),
            ("pdf-conversion", "تحويل ملفات PDF", "PDF Conversion"),
            ("email-handling", "إدارة البريد الإلكتروني", "Email Handling"),
        ],
    ),
]


def load_catalog(category_model, skill_model) -> None:
    """Create the starting rows that are missing; leaves rows that staff edited alone."""
    for position, ((slug, name_ar, name_en), skills) in enumerate(CATALOG):
        category, _ = category_model.objects.get_or_create(
            slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "position": position}
        )
        for skill_slug, skill_ar, skill_en in skills:
            skill_model.objects.get_or_create(
                slug=skill_slug,
                defaults={"category": category, "name_ar": skill_ar, "name_en": skill_en},
            )
