"""The help centre's first questions and answers, in Arabic and English.

Loaded by migration help/0002 and by tests that need them after a transactional test emptied the
tables. Answers are Markdown; figures from settings are placeholders expanded when the page is drawn
(see mostaql/guides/rendering.py), so they never go stale.
"""

# ruff: noqa: E501 (the texts are prose, one paragraph a line)

from mostaql.core.text import normalize_arabic

# (topic, question, answer, question in English, answer in English)
QUESTIONS = [
    (
        "account",
        "لماذا يجب أن أؤكد بريدي الإلكتروني؟",
        "تأكيد البريد يثبت أن العنوان لك، وهو شرط لنشر المشاريع وتقديم العروض. إن لم تصلك الرسالة فافحص مجلد الرسائل غير المرغوبة، أو اطلب إرسالها مجدداً من صفحة «الحساب والأمان».",
        "Why must I verify my e-mail address?",
        "Verifying proves the address is yours; you need it to post projects and send offers. If the message did not arrive, look in your spam folder or ask for it again from «Account and security».",
    ),
    (
        "account",
        "هل أحتاج إلى حسابين لأوظّف وأعمل؟",
        "لا. حساب واحد يكفي للأمرين. الدور الذي اخترته عند التسجيل يحدد لوحة التحكم التي تراها أولاً فقط، ولا يمنعك من شيء.",
        "Do I need two accounts to hire and to work?",
        "No. One account does both. The role you chose at sign-up only decides which dashboard you see first; it limits nothing.",
    ),
    (
        "account",
        "كيف أحمي حسابي؟",
        "اختر كلمة مرور طويلة لا تستعملها في مكان آخر، وفعّل التحقق بخطوتين من صفحة «الحساب والأمان»، واحتفظ برموز الاسترداد في مكان آمن. لن يطلب منك أحد من فريقنا كلمة مرورك أبداً.",
        "How do I protect my account?",
        "Choose a long password you use nowhere else, turn on two-factor login in «Account and security», and keep the recovery codes somewhere safe. No one from our team will ever ask for your password.",
    ),
    (
        "projects",
        "كم عرضاً أستطيع أن أقدم في الشهر؟",
        "لكل حساب {offers_per_month} عرضاً في الشهر. إذا أُغلق مشروع قدمت عليه دون أن يوظّف صاحبه أحداً، يعود العرض إلى رصيدك.",
        "How many offers can I send a month?",
        "Each account has {offers_per_month} offers a month. When a project you bid on closes without a hire, the offer is given back.",
    ),
    (
        "projects",
        "ما أقل مبلغ للعرض؟",
        "لا يقل مبلغ العرض عن {min_offer}. ونموذج العرض يعرض لك ما سيصلك بعد العمولة وأنت تكتب المبلغ.",
        "What is the smallest offer?",
        "An offer may not be below {min_offer}. The offer form shows what you will receive after commission as you type.",
    ),
    (
        "projects",
        "لماذا لم يظهر مشروعي بعد؟",
        "يراجع فريق الإشراف المشاريع الجديدة قبل نشرها. ستصلك رسالة عند قبول مشروعك أو رفضه مع ذكر السبب، ويمكنك تعديله وإعادة إرساله.",
        "Why is my project not shown yet?",
        "Moderators review new projects before they are published. You are told when yours is approved, or rejected with the reason, and you can edit it and send it again.",
    ),
    (
        "projects",
        "لماذا أُخفي رقم هاتفي من رسالتي؟",
        "قبل التوظيف تُخفى عناوين البريد وأرقام الهواتف وروابط تطبيقات المراسلة في المشاريع والعروض والرسائل. هذا يحميك: ما يُتفق عليه خارج المنصة لا يشمله الضمان ولا النزاعات. بعد التوظيف تظهر كما هي.",
        "Why was my phone number hidden in my message?",
        "Before a hire, e-mail addresses, phone numbers and messenger links are masked in projects, offers and messages. This protects you: what is agreed outside the platform is not covered by escrow or disputes. After the hire they are shown as written.",
    ),
    (
        "services",
        "هل أستطيع بيع خدمات جاهزة على مستقل؟",
        "سوق الخدمات الجاهزة قيد الإعداد. إلى أن يُفتح، اعرض ما تتقنه في معرض أعمالك وقدّم عروضك على المشاريع؛ وستجد في [الأدلة](/guides/) ما يساعدك على تجهيز أعمالك من الآن.",
        "Can I sell ready-made services on Mostaql?",
        "The services market is being prepared. Until it opens, show what you do in your portfolio and send offers on projects; the [guides](/guides/) help you get your work ready now.",
    ),
    (
        "services",
        "كيف أعرض أعمالي السابقة؟",
        "من «معرض أعمالي» أضف عملاً بعنوان ووصف وصور ورابط ومهارات. الصور يُعاد ترميزها وتُحذف بياناتها الوصفية تلقائياً.",
        "How do I show my past work?",
        "From «My portfolio», add a work with a title, a description, pictures, a link and skills. Pictures are re-encoded and their metadata removed automatically.",
    ),
    (
        "payments",
        "كم عمولة المنصة؟",
        "تقتطع المنصة {commission_percent} من مبلغ العقد عند قبول العمل، ويصل إلى المستقل {freelancer_share_percent}. نشر المشاريع وتقديم العروض مجاني. التفاصيل في [صفحة الرسوم](/help/fees/).",
        "What is the commission?",
        "Mostaql keeps {commission_percent} of a contract's amount when the work is accepted; the freelancer receives {freelancer_share_percent}. Posting projects and sending offers are free. Details on the [fees page](/help/fees/).",
    ),
    (
        "payments",
        "متى أستطيع سحب أرباحي؟",
        "بعد قبول العمل يصل المبلغ إلى رصيدك المعلّق، ويصبح متاحاً بعد {clearance_days} يوماً. أقل مبلغ للسحب {min_withdrawal}، ويلزم التحقق من هويتك قبل أول سحب.",
        "When can I withdraw my earnings?",
        "Once the work is accepted the amount reaches your pending balance and becomes available after {clearance_days} days. The smallest withdrawal is {min_withdrawal}, and your identity must be verified before the first one.",
    ),
    (
        "payments",
        "لماذا رُفض طلب السحب؟",
        "يذكر فريق المالية سبب الرفض دائماً، ويعود المبلغ كاملاً إلى رصيدك المتاح. أكثر الأسباب شيوعاً بيانات استلام خاطئة أو هوية غير متحقق منها.",
        "Why was my withdrawal refused?",
        "Finance staff always give the reason, and the whole amount returns to your available balance. The most common reasons are wrong payout details or an identity not yet verified.",
    ),
    (
        "payments",
        "كيف أشحن محفظتي؟",
        "من صفحة المحفظة اختر «إيداع» واكتب المبلغ، ثم أكمل الدفع عند مزوّد الدفع. يظهر المبلغ في رصيدك بعد أن يؤكد المزوّد العملية.",
        "How do I add money to my wallet?",
        "On the wallet page choose «Deposit», enter the amount and complete the payment with the payment provider. The amount appears once the provider confirms it.",
    ),
    (
        "disputes",
        "ماذا يحدث إن لم يرد صاحب المشروع على التسليم؟",
        "إذا لم يقبل صاحب المشروع التسليم أو يطلب تعديلات خلال {auto_accept_days} يوماً، يُقبل العمل تلقائياً ويُحرَّر المبلغ للمستقل.",
        "What happens if the client does not answer a delivery?",
        "If the client neither accepts nor asks for changes within {auto_accept_days} days, the work is accepted automatically and the amount is released to the freelancer.",
    ),
    (
        "disputes",
        "كيف أفتح نزاعاً؟",
        "من صفحة العقد، ما دام العقد نشطاً أو مُسلَّماً، اختر «فتح نزاع» واشرح المشكلة. يقرأ مشرف المحادثة والتسليمات ويقرر كيف يُقسم المبلغ المحجوز. جرّب أولاً الاتفاق مع الطرف الآخر أو الإلغاء بالتراضي.",
        "How do I open a dispute?",
        "On the contract page, while the contract is active or delivered, choose «Open a dispute» and explain the problem. A moderator reads the messages and deliveries and decides how the escrowed amount is divided. Try first to agree with the other side, or to cancel by agreement.",
    ),
    (
        "disputes",
        "هل أستطيع إلغاء عقد؟",
        "نعم، بالتراضي: يقترح أحد الطرفين الإلغاء مع السبب، ويوافق الآخر أو يرفض. عند الإلغاء يعود المبلغ المحجوز إلى صاحب المشروع.",
        "Can I cancel a contract?",
        "Yes, by agreement: one side proposes the cancellation with a reason and the other accepts or refuses. When it is cancelled, the escrowed amount returns to the client.",
    ),
    (
        "safety",
        "طلب مني أحد الدفع أو التواصل خارج المنصة. ماذا أفعل؟",
        "لا تقبل. ما يُدفع خارج المنصة لا يحميه الضمان ولا يشمله النزاع، وهو مخالف لشروط الاستخدام. أبلغ عن الرسالة أو الملف من رابط «إبلاغ» بجانبه.",
        "Someone asked me to pay or talk outside the platform. What should I do?",
        "Do not. Money paid outside is not protected by escrow or disputes, and it breaks the terms of use. Report the message or profile with the «Report» link beside it.",
    ),
    (
        "safety",
        "كيف أبلغ عن مخالفة؟",
        "بجانب كل مشروع وعرض ورسالة وملف شخصي رابط «إبلاغ». يراجع المشرفون البلاغ ويخبرونك بالنتيجة، وتجد بلاغاتك في صفحة «بلاغاتي».",
        "How do I report something that breaks the rules?",
        "Every project, offer, message and profile has a «Report» link. Moderators review it and tell you the outcome; your reports are listed in «My reports».",
    ),
]


def load_starter_questions(question_model) -> None:
    """Create the starter questions that are missing; leaves what staff edited alone."""
    Question = question_model
    for position, (topic, question, answer, question_en, answer_en) in enumerate(QUESTIONS):
        if Question.objects.filter(question=question).exists():
            continue
        Question.objects.create(
            topic=topic,
            question=question,
            answer=answer,
            question_en=question_en,
            answer_en=answer_en,
            position=position,
            # Historical models do not run Question.save(): the folded search text is written here.
            search_text=normalize_arabic(" ".join([question, question_en, answer, answer_en])),
        )
