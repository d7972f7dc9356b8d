"""The load benchmark of the production stack (`make prod-local`, then `make load`): not a test.

Three kinds of people, in the proportions of a marketplace's traffic: visitors browse, search and open
projects and profiles; freelancers sign in, read projects, send offers and messages; clients sign in,
read their projects and the offers on them, and answer messages. Demo accounts (password demo12345)
sign in once each; a refused offer (already bid, monthly quota) is an ordinary answer, not an error.
The stack's login rate limit counts per address, and every simulated person comes from 127.0.0.1:
start the stack for the run with `RATE_LIMIT_LOGIN=10000/m/ip make prod-local` (read at start).
"""

import itertools
import random
import re

from locust import HttpUser, between, task

FREELANCERS = [
    "freelancer", "layla", "omar", "mona", "youssef", "hind", "karim", "nour", "samir", "tarek", "salma",
    "bilal", "aisha", "hassan", "rania", "majed", "nader",
]  # fmt: skip
CLIENTS = ["client", "client2", "client3", "client4", "client5", "client6", "client7"]
SEARCHES = ["تصميم", "برمجة", "شعار", "موقع", "تطبيق", "ترجمة", "فيديو"]
PASSWORD = "demo12345"
PROJECT_LINK = re.compile(r'href="/projects/(\d+)/"')
PROFILE_LINK = re.compile(r'href="(/u/[^"/]+/)"')
CONVERSATION_LINK = re.compile(r'href="/messages/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_freelancers = itertools.cycle(FREELANCERS)
_clients = itertools.cycle(CLIENTS)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    project_ids: list[str] = []

    def browse(self) -> None:
        page = self.client.get("/projects/", name="/projects/").text
        self.project_ids = PROJECT_LINK.findall(page) or self.project_ids

    def open_project(self) -> str:
        if not self.project_ids:
            self.browse()
        if not self.project_ids:
            return ""
        project_id = random.choice(self.project_ids)
        self.client.get(f"/projects/{project_id}/", name="/projects/[id]/")
        return project_id

    def sign_in(self, email: str) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/").text
        token = CSRF.search(page)
        with self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1) if token else "", "login": email, "password": PASSWORD},
            name="/accounts/login/ (POST)",
            catch_response=True,
        ) as response:
            if not response.url.endswith("/dashboard/"):
                response.failure(f"{email} was not signed in")

    def post_form(self, path: str, name: str, fields: dict) -> None:
        page = self.client.get(path, name=name).text
        token = CSRF.search(page)
        if token:
            self.client.post(path, {"csrfmiddlewaretoken": token.group(1), **fields}, name=f"{name} (POST)")

    def send_message(self) -> None:
        inbox = self.client.get("/messages/", name="/messages/").text
        conversations = CONVERSATION_LINK.findall(inbox)
        if conversations:
            conversation = random.choice(conversations)
            body = random.choice(["شكراً لك، سأراجع التفاصيل اليوم.", "هل يمكن أن ترسل مثالاً من أعمالك؟"])
            self.post_form(f"/messages/{conversation}/", "/messages/[id]/", {"body": body})


class Visitor(Person):
    weight = 6

    @task(4)
    def browse_projects(self):
        self.browse()

    @task(3)
    def search(self):
        self.client.get(f"/projects/?q={random.choice(SEARCHES)}", name="/projects/?q=")

    @task(4)
    def open_a_project(self):
        self.open_project()

    @task(2)
    def home(self):
        self.client.get("/", name="/")

    @task(2)
    def freelancers_and_a_profile(self):
        page = self.client.get("/freelancers/", name="/freelancers/").text
        profiles = PROFILE_LINK.findall(page)
        if profiles:
            self.client.get(random.choice(profiles), name="/u/[name]/")


class Freelancer(Person):
    weight = 3

    def on_start(self):
        self.sign_in(f"{next(_freelancers)}@demo.test")

    @task(4)
    def read_projects(self):
        self.browse()
        self.open_project()

    @task(1)
    def send_an_offer(self):
        project_id = self.open_project()
        if project_id:
            fields = {"amount": str(random.randint(50, 500)), "duration_days": "7", "text": OFFER_TEXT}
            self.post_form(f"/projects/{project_id}/offers/", "/projects/[id]/offers/", fields)

    @task(2)
    def messages(self):
        self.send_message()

    @task(1)
    def dashboard(self):
        self.client.get("/dashboard/", name="/dashboard/")


class Client(Person):
    weight = 1

    def on_start(self):
        self.sign_in(f"{next(_clients)}@demo.test")

    @task(3)
    def my_projects(self):
        page = self.client.get("/dashboard/projects/", name="/dashboard/projects/").text
        own = PROJECT_LINK.findall(page)
        if own:
            self.client.get(f"/projects/{random.choice(own)}/", name="/projects/[id]/ (owner)")

    @task(2)
    def messages(self):
        self.send_message()

    @task(1)
    def wallet(self):
        self.client.get("/wallet/", name="/wallet/")


OFFER_TEXT = (
    "مرحباً، قرأت وصف المشروع جيداً ولدي خبرة في أعمال مشابهة. أستطيع التسليم في الموعد مع مراجعتين "
    "مجانيتين، ويسعدني أن أرسل نماذج من أعمالي السابقة."
)
