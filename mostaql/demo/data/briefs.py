"""The demo's buyer requests (طلبات): open ones from client@demo.test answered by demo sellers, and one
waiting for the moderator.

Each: (buyer's e-mail, category slug, title, description, budget in dollars, delivery days, approved?,
answers as (seller's e-mail, note)). A seller answers with their first published service in the
request's category, else their first published service.
"""

REQUESTS = [
    (
        "client@demo.test",
        "design",
        "أحتاج شعاراً لمتجر قهوة مختصة في جدة",
        "متجر قهوة مختصة صغير يفتتح الشهر القادم. أريد شعاراً بسيطاً بلونين يصلح للأكواب والأكياس "
        "واللافتة، مع نسخة أفقية للموقع وحسابات التواصل.",
        60,
        5,
        True,
        [
            (
                "layla@demo.test",
                "صممت هويات لثلاثة مقاهٍ، وأسلمك ثلاثة نماذج أولية خلال يومين ثم نطوّر ما تختاره.",
            ),
            ("salma@demo.test", "أقدم لك الشعار مع دليل ألوان مختصر وملفات جاهزة للطباعة على الأكواب."),
        ],
    ),
    (
        "client@demo.test",
        "programming",
        "سكربت ينقل طلبات متجري من إكسل إلى جدول Google",
        "أصدّر طلبات المتجر يومياً في ملف إكسل، وأريد سكربتاً ينقلها تلقائياً إلى جدول Google مع "
        "حذف المكرر وتنسيق التواريخ.",
        40,
        3,
        True,
        [("freelancer@demo.test", "أكتب لك السكربت ببايثون مع تشغيل مجدول يومي وشرح مصور لطريقة تشغيله.")],
    ),
    (
        "client@demo.test",
        "writing-translation",
        "ترجمة دليل استخدام تطبيق من الإنجليزية إلى العربية",
        "دليل استخدام من اثنتي عشرة صفحة لتطبيق حجوزات، أريد ترجمة عربية سلسة تراعي مصطلحات التطبيق "
        "كما تظهر في واجهته.",
        80,
        4,
        True,
        [
            (
                "mona@demo.test",
                "أترجم أدلة التطبيقات منذ سنوات، وأعدّ لك قائمة بالمصطلحات قبل البدء لتوافق عليها.",
            )
        ],
    ),
    (
        "client@demo.test",
        "video-audio",
        "تعليق صوتي لإعلان مدته ثلاثون ثانية",
        "إعلان قصير لمتجري الإلكتروني، أحتاج صوتاً رجالياً دافئاً باللهجة البيضاء مع ملف نظيف بلا "
        "موسيقى لأضيفها بنفسي.",
        30,
        2,
        False,
        [],
    ),
]
