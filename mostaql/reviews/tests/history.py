"""A freelancer's hand-counted history, built through the services, for the reputation tests.

Leila (the freelancer) works for four clients. Times come from a clock that starts 60 days ago.

| contract | client | agreed days | first delivery        | end                           |
| -------- | ------ | ----------- | --------------------- | ----------------------------- |
| c1       | Amal   | 7           | day 3 (on time)       | accepted                      |
| c2       | Amal   | 5           | day 6 (late); again 7 | accepted after changes        |
| c3       | Badr   | 7           | day 2 (on time)       | dispute, $50 to her: complete |
| c4       | Camil  | 7           | —                     | cancelled by agreement        |
| c5       | Camil  | 7           | day 1 (on time)       | dispute, all refunded         |
| c6       | Badr   | 7           | —                     | hired, never funded           |
| c7       | Amal   | 7           | —                     | funded, still active          |
| c8       | Dana   | 7           | day 0 (on time)       | accepted (today)              |

So, as a freelancer: 4 completed of 6 ended (67%), 4 on time of 5 delivered (80%), 3 clients with a
completed contract of whom 1 (Amal) came back (33%).

Public reviews of Leila: Amal on c1 (all 5), Amal on c2 (4, 3, 4, 5, 2, 4), Badr on c3 (all 3): per
criterion 12, 11, 12, 13, 10, 12 out of 3 reviews: 4.0, 3.7, 4.0, 4.3, 3.3, 4.0; overall 70 / 18 = 3.9.
Dana's review on c8 (all 1) is still hidden: Leila has not written hers and the window is open.
Leila's reviews of Amal (c1 all 4, c2 all 5) and of Badr (c3 all 2) are public too.

First replies: Leila answers Amal on c1 after 30 minutes, on c2 after 2 hours, and Camil on c4 after
10 minutes (9,600 s in 3 replies: 53 minutes on average); her later messages do not count. On c3 she
wrote first, and Badr answered after a day.

Amal's projects: c1, c2, c7 hired, one closed without a hire, one still open: a hire rate of 3 of 4
(75%); she completed 2 contracts as a client.
"""

from dataclasses import dataclass

from mostaql.accounts.models import User
from mostaql.contracts.models import Contract
from mostaql.projects import services as project_services
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project
from mostaql.reviews.tests.factories import (
    accept,
    cancel,
    clock_at,
    conversation_of,
    days_ago,
    decide_dispute,
    deliver,
    fund,
    hired,
    request_changes,
    review,
    say,
)

C2_MARKS = {
    "professionalism": 4,
    "communication": 3,
    "quality": 4,
    "expertise": 5,
    "on_time": 2,
    "would_work_again": 4,
}


@dataclass
class History:
    leila: User
    amal: User
    badr: User
    camil: User
    dana: User
    contracts: dict[str, Contract]


def build_history() -> History:
    leila = freelancer_user("ليلى المصممة")
    amal, badr, camil, dana = (client_user(name) for name in ("أمل", "بدر", "كميل", "دانة"))
    contracts = {}
    with clock_at(days_ago(60)) as clock:
        contracts["c1"] = c1 = fund(hired(amal, leila, duration_days=7))
        say(amal, conversation_of(c1), "أهلاً ليلى، متى تبدئين؟")
        clock.advance(minutes=30)
        say(leila, conversation_of(c1), "أبدأ اليوم إن شاء الله.")
        clock.advance(minutes=5)
        say(leila, conversation_of(c1), "وسأرسل المسودة الأولى غداً.")
        clock.advance(days=3)
        c1 = accept(deliver(c1))

        contracts["c2"] = c2 = fund(hired(amal, leila, duration_days=5))
        say(amal, conversation_of(c2), "مشروع جديد معك!")
        clock.advance(hours=2)
        say(leila, conversation_of(c2), "بكل سرور.")
        clock.advance(days=6)
        c2 = request_changes(deliver(c2))
        clock.advance(days=1)
        c2 = accept(deliver(c2))

        contracts["c3"] = c3 = fund(hired(badr, leila, duration_days=7))
        say(leila, conversation_of(c3), "مرحباً بدر، وصلني التمويل.")
        clock.advance(days=1)
        say(badr, conversation_of(c3), "ممتاز.")
        clock.advance(days=1)
        c3 = decide_dispute(deliver(c3), freelancer_share_cents=5_000)

        contracts["c4"] = c4 = fund(hired(camil, leila, duration_days=7))
        say(camil, conversation_of(c4), "هل أنت متاحة؟")
        clock.advance(minutes=10)
        say(leila, conversation_of(c4), "نعم.")
        clock.advance(days=1)
        c4 = cancel(c4)

        contracts["c5"] = c5 = fund(hired(camil, leila, duration_days=7))
        clock.advance(days=1)
        c5 = decide_dispute(deliver(c5), freelancer_share_cents=0)

        contracts["c6"] = hired(badr, leila)
        contracts["c7"] = fund(hired(amal, leila))
        project_services.close_project(owner=amal, project=open_project(amal))
        open_project(amal)

        review(amal, c1, 5)
        review(leila, c1, 4)
        review(amal, c2, C2_MARKS)
        review(leila, c2, 5)
        review(badr, c3, 3)
        review(leila, c3, 2)

    contracts["c8"] = c8 = accept(deliver(fund(hired(dana, leila, duration_days=7))))
    review(dana, c8, 1)
    contracts.update(c1=c1, c2=c2, c3=c3, c4=c4, c5=c5)
    return History(leila=leila, amal=amal, badr=badr, camil=camil, dana=dana, contracts=contracts)
