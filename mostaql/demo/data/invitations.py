"""Invitations, a private project and verified identities (issue 13), loaded by loader.load_invitations."""

from dataclasses import dataclass

# A private project of the demo client: only freelancer@demo.test (invited) sees it besides its owner.
PRIVATE_PROJECT = {
    "owner": "client@demo.test",
    "category": "programming",
    "title": "تطوير لوحة تحكم داخلية لإدارة مخزون متاجر العطور",
    "description": (
        "نحتاج لوحة تحكم داخلية (لا تُنشر للعامة) لإدارة مخزون فروعنا الثلاثة: الأصناف والكميات "
        "وتنبيهات النقص وتقارير أسبوعية تُرسل بالبريد. نفضّل جانغو وقاعدة بيانات PostgreSQL، مع "
        "واجهة عربية بسيطة تعمل على الجوال. المشروع خاص، ولذلك ندعو إليه مستقلين عملنا معهم أو "
        "نثق بسجلهم."
    ),
    "skills": ("python", "django", "databases"),
    "budget": "1000-2500",
    "duration": 30,
}


@dataclass(frozen=True)
class DemoInvitation:
    owner: str  # the project's owner, who invites
    project: str  # the project's title ("" for the private project above)
    freelancer: str


INVITATIONS = [
    DemoInvitation("client@demo.test", "", "freelancer@demo.test"),
    DemoInvitation("client@demo.test", "", "tarek@demo.test"),
    DemoInvitation("client6@demo.test", "إعداد لائحة تنظيم عمل وسلم رواتب لشركة عقارية", "samir@demo.test"),
]

# People whose identity a moderator approved (freelancer@demo.test's is part of the wallet story).
VERIFIED_IDENTITIES = ["client@demo.test", "omar@demo.test", "samir@demo.test", "client2@demo.test"]
