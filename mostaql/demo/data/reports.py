"""The demo's report waiting in the moderators' queue."""

REPORTER = "freelancer@demo.test"
REASON = (
    "يطلب صاحب المشروع في الوصف التواصل خارج المنصة والدفع بتحويل مباشر قبل التوظيف، "
    "وهذا مخالف لقواعد الموقع."
)
