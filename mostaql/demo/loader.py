"""The demo, loaded through the services so that it obeys the same rules as the site: safe to run twice.

Every change of state goes through the services (post, approve, reject, close, bid, hire, decline; fund,
deliver, ask for changes, accept, cancel, dispute, decide; deposit, clear, verify, withdraw, pay; write,
review, reply, report), so the demo obeys the same rules as the site. Money enters only as the sandbox
gateway's signed webhook, and the ledger's audit must be clean at the end or nothing is kept. Only
timestamps are moved afterwards, to spread the story over the last few weeks so that ages, deadlines
and statements look real; money moves, messages and reviews are written at their moment (timeline).

Each loader does nothing when its part of the demo is there already, and returns how many it created.
"""

import datetime
import random

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from mostaql.accounts import services as account_services
from mostaql.accounts.models import User
from mostaql.accounts.security import has_totp
from mostaql.briefs import services as brief_services
from mostaql.briefs.models import Brief
from mostaql.catalog.models import Category, Skill
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract, ContractEvent, Milestone, Requirements
from mostaql.core.milestones import MilestoneTerms
from mostaql.core.uploads import clean_image
from mostaql.demo.data import agreements
from mostaql.demo.data import orders as demo_orders
from mostaql.demo.data.briefs import REQUESTS as DEMO_REQUESTS
from mostaql.demo.data.conversations import AFTER_HIRE, QUESTIONS
from mostaql.demo.data.gigs import SERVICES as GIG_SERVICES
from mostaql.demo.data.invitations import INVITATIONS, PRIVATE_PROJECT, VERIFIED_IDENTITIES
from mostaql.demo.data.people import DEMO_PASSWORD, MODERATOR, MODERATOR_TOTP_SECRET, PEOPLE, PORTFOLIO
from mostaql.demo.data.projects import (
    CLOSED,
    HIRING,
    OPEN,
    PENDING,
    PROJECTS,
    REJECTED,
    REOPENED,
    STORY_STATES,
    DemoProject,
)
from mostaql.demo.data.reports import REASON, REPORTER
from mostaql.demo.data.reviews import CLIENT_COMMENTS, FREELANCER_COMMENTS, REPLY
from mostaql.demo.data.wallets import WALLET_STORY
from mostaql.demo.images import abstract_picture, attachment, identity_document, service_cover
from mostaql.demo.timeline import Timeline, contract_move, dated, deposit, wallet_move
from mostaql.gigs import services as gig_services
from mostaql.gigs.models import Service
from mostaql.messaging import services as messaging_services
from mostaql.messaging.models import Conversation, Message
from mostaql.projects import services as project_services
from mostaql.projects.models import Invitation, Offer, Project, ProjectEvent
from mostaql.projects.selectors import public_projects
from mostaql.reports import services as report_services
from mostaql.reports.models import Report
from mostaql.reviews import services as review_services
from mostaql.reviews.models import CRITERIA, Review
from mostaql.saved import services as saved_services
from mostaql.saved.models import SavedSearch
from mostaql.wallet import ledger
from mostaql.wallet import services as wallet_services
from mostaql.wallet.gateways.sandbox import SandboxGateway
from mostaql.wallet.models import IdentityVerification

# The demo's projects, conversations and reviews exist once this client has any: a second run skips them.
MARKER_OWNER = "client@demo.test"


# --- People ----------------------------------------------------------------------------------------


def load_people() -> int:
    """The demo accounts with their profiles and portfolios; returns how many were created."""
    created = 0
    for index, person in enumerate(PEOPLE):
        with transaction.atomic():
            created += _person(index, *person)
    moderator = User.objects.filter(email=MODERATOR).first()
    if moderator is not None and not has_totp(moderator):  # also for demo data loaded before 2FA
        account_services.enroll_totp(user=moderator, secret=MODERATOR_TOTP_SECRET)
    return created


def _person(index, email, name, role, title, country, skill_slugs, rate, bio) -> int:
    if User.objects.filter(email=email).exists():
        return 0
    is_moderator = email.startswith("moderator@")
    user = User.objects.create_user(
        email=email, name=name, password=DEMO_PASSWORD, is_staff=is_moderator, is_superuser=is_moderator
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    account_services.register_user(user=user, name=name, primary_role=role)
    account_services.update_profile(
        user=user,
        name=name,
        primary_role=role,
        title=title,
        bio=bio,
        country=country,
        skills=Skill.objects.filter(slug__in=skill_slugs),
        hourly_rate_cents=rate * 100 if rate else None,
        avatar=clean_image(abstract_picture(index, (256, 256))) if role == "freelancer" else None,
    )
    for number, (item_title, description, link, skills, image_count) in enumerate(PORTFOLIO.get(email, [])):
        account_services.create_portfolio_item(
            owner=user,
            title=item_title,
            description=description,
            link=link,
            skills=Skill.objects.filter(slug__in=skills),
            completed_on=datetime.date(2026, 1 + (index + number) % 10, 15),
            images=[
                clean_image(abstract_picture(index * 100 + number * 10 + i, (1200, 900)))
                for i in range(image_count)
            ],
        )
    return 1


# --- Projects, contracts and wallets --------------------------------------------------------------


def load_projects() -> int:
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
                    timeline.add(step.age, contract_move(step, contract, people[MODERATOR]))
        for step in WALLET_STORY:
            timeline.add(step.age, wallet_move(step, people))
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
    project = project_services.post_project(
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
        project_services.reject_project(moderator=moderator, project=project, reason=demo.note)
        times["rejected"] = posted + review
    elif demo.state == CLOSED and not demo.offers:  # closed by its owner before anyone reviewed it
        project_services.close_project(owner=owner, project=project)
        times["closed"] = posted + age * 0.4
    elif demo.state != PENDING:
        project_services.approve_project(moderator=moderator, project=project)
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
            if project_services.offers_left_this_month(freelancer) <= 0:  # spent by a developer's own trials
                continue
            offers[email] = project_services.place_offer(
                freelancer=freelancer,
                project=project,
                amount_cents=dollars * 100,
                duration_days=days,
                text=text,
            )
            placed[offers[email].pk] = moment
        if demo.state == CLOSED:
            project_services.close_project(owner=owner, project=project)
            times["closed"] = published + span * 0.7
        elif demo.story and demo.hire in offers:  # the rest of its story runs on the Timeline
            contract = contract_services.hire(owner=owner, project=project, offer=offers[demo.hire])
            times["hired"] = hired
        elif demo.state in (HIRING, REOPENED) and demo.hire in offers:
            hire = contract_services.hire(owner=owner, project=project, offer=offers[demo.hire])
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


def _check(stories: list[tuple[DemoProject, Contract]]) -> None:
    """Each story ended where its project says, and the ledger balances: or nothing is kept."""
    for demo, contract in stories:
        status = Project.objects.get(pk=contract.project_id).status
        if status != demo.state:
            raise RuntimeError(f"The demo project «{demo.title}» ended {status}, not {demo.state}.")
    report = ledger.audit()
    if not report.is_clean:
        raise RuntimeError("The demo's ledger does not balance:\n" + "\n".join(report.problems))


# --- Agreements in milestones, direct contracts, bonuses, extensions (issue 13) -------------------


def load_agreements() -> int:
    """A project paid in milestones, taken through the engine's moves (one milestone paid, the next in
    progress with more days agreed, a bonus, an extra milestone proposed), and a direct contract
    offered. Returns how many contracts were created (none the second time)."""
    staged = agreements.STAGED
    if Contract.objects.filter(title=staged["title"]).exists():
        return 0
    with (
        override_settings(PROJECT_AUTO_APPROVE=True, PAYMENT_GATEWAY=SandboxGateway.name),
        transaction.atomic(),
    ):
        people = {user.email: user for user in User.objects.filter(email__endswith="@demo.test")}
        client, freelancer = people[agreements.CLIENT], people[agreements.FREELANCER]
        now = timezone.now()
        start = now - datetime.timedelta(days=12)
        plan = [MilestoneTerms(title, dollars * 100, days) for title, dollars, days in staged["milestones"]]
        with dated(start):
            project = project_services.post_project(
                owner=client,
                title=staged["title"],
                description=staged["description"],
                category=Category.objects.get(slug=staged["category"]),
                skills=list(Skill.objects.filter(slug__in=staged["skills"])),
                budget=staged["budget"],
                duration_days=staged["duration"],
            )
        with dated(start + datetime.timedelta(hours=5)):
            offer = project_services.place_offer(
                freelancer=freelancer,
                project=project,
                amount_cents=sum(term.amount_cents for term in plan),
                duration_days=staged["duration"],
                text=staged["offer_text"],
                milestones=plan,
            )
        with dated(start + datetime.timedelta(days=1)):
            contract = contract_services.hire(owner=client, project=project, offer=offer)
            deposit(client, plan[0].amount_cents + plan[1].amount_cents + 50_00, now=timezone.now())
            contract_services.fund_contract(client=client, contract=contract, now=timezone.now())
        with dated(start + datetime.timedelta(days=6)):
            contract_services.deliver(
                freelancer=freelancer, contract=contract, message=staged["delivery"], now=timezone.now()
            )
        with dated(start + datetime.timedelta(days=7)):
            contract_services.accept_delivery(client=client, contract=contract, now=timezone.now())
            contract_services.pay_bonus(
                client=client,
                contract=contract,
                amount_cents=staged["bonus"][0] * 100,
                note=staged["bonus"][1],
            )
        with dated(start + datetime.timedelta(days=8)):
            contract_services.fund_contract(client=client, contract=contract, now=timezone.now())
        with dated(start + datetime.timedelta(days=10)):
            days, reason = staged["extension"]
            contract_services.propose_extension(user=freelancer, contract=contract, days=days, reason=reason)
            contract_services.answer_extension(user=client, contract=contract, accept=True)
        title, dollars, days = staged["new_milestone"]
        contract_services.propose_milestone_change(
            user=freelancer, contract=contract, terms=MilestoneTerms(title, dollars * 100, days)
        )
        rehire = agreements.REHIRE
        contract_services.offer_rehire(
            client=client,
            freelancer=freelancer,
            title=rehire["title"],
            description=rehire["description"],
            milestones=[MilestoneTerms(t, dollars * 100, d) for t, dollars, d in rehire["milestones"]],
        )
        report = ledger.audit()
        if not report.is_clean:
            raise RuntimeError("The demo's ledger does not balance:\n" + "\n".join(report.problems))
    return 2


# --- Conversations -------------------------------------------------------------------------------


def load_conversations() -> int:
    """Create the demo's conversations once; returns how many were created (none the second time)."""
    if Message.objects.filter(conversation__client__email=MARKER_OWNER).exists():
        return 0
    now = timezone.now()
    created = 0
    with transaction.atomic():
        open_projects = Project.objects.filter(
            owner__email=MARKER_OWNER, status=Project.Status.OPEN, offers__isnull=False
        ).distinct()
        for project in open_projects[:3]:
            offer = project.offers.exclude(status=Offer.Status.WITHDRAWN).order_by("created_at").first()
            conversation = messaging_services.open_conversation(
                project=project, client=project.owner, freelancer=offer.freelancer
            )
            created += _write(conversation, QUESTIONS, start=offer.created_at, now=now)
        contracts = (
            Contract.objects.filter(messaging_services.LIVE_CONTRACT)
            .select_related("project", "client", "freelancer")
            .order_by("pk")
        )
        for contract in contracts:
            conversation = messaging_services.open_conversation(
                project=contract.project, client=contract.client, freelancer=contract.freelancer
            )
            created += _write(conversation, AFTER_HIRE, start=contract.created_at, now=now)
    return created


def _write(conversation: Conversation, script, *, start: datetime.datetime, now: datetime.datetime) -> int:
    """Send the script's messages as its people, each at `hours` after `start` (never in the future);
    the reader has read all but the last one."""
    side = {"client": conversation.client, "freelancer": conversation.freelancer}
    written = []
    for who, hours, text in script:
        moment = start + datetime.timedelta(hours=hours)
        if moment >= now:
            break
        with dated(moment):
            messaging_services.send_message(
                sender=side[who], conversation=conversation, body=text, now=moment
            )
        written.append((who, moment))
    if not written:
        return 0
    (last_who, _last_at), earlier = written[-1], [moment for _who, moment in written[:-1]]
    reader = "freelancer_read_at" if last_who == "client" else "client_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=written[0][1],
        client_emailed_at=None,
        freelancer_emailed_at=None,
        **{reader: max(earlier) if earlier else None},
    )
    return 1


# --- Reviews -------------------------------------------------------------------------------------


def load_reviews() -> int:
    """Write the demo's reviews once; returns how many were written (none the second time)."""
    if Review.objects.filter(contract__client__email=MARKER_OWNER).exists():
        return 0
    rng = random.Random(7)  # the same marks on every machine
    now = timezone.now()
    written = 0
    completed = Contract.objects.filter(status=Contract.Status.COMPLETED, completed_at__isnull=False)
    with transaction.atomic():
        for index, contract in enumerate(completed.select_related("client", "freelancer").order_by("pk")):
            client_at = contract.completed_at + datetime.timedelta(hours=rng.uniform(2, 30))
            freelancer_at = contract.completed_at + datetime.timedelta(hours=rng.uniform(3, 40))
            client_review = _review(contract, contract.client, client_at, now, rng, CLIENT_COMMENTS)
            written += client_review is not None
            if index % 4 != 3:  # now and then the freelancer never writes: the window publishes it
                freelancer_review = _review(
                    contract, contract.freelancer, freelancer_at, now, rng, FREELANCER_COMMENTS
                )
                written += freelancer_review is not None
            if index == 0 and client_review is not None:
                replied_at = max(client_at, freelancer_at) + datetime.timedelta(hours=5)
                with dated(replied_at):
                    client_review.refresh_from_db()
                    if client_review.published_at:
                        review_services.reply_to_review(
                            user=contract.freelancer, review=client_review, text=REPLY, now=replied_at
                        )
        review_services.publish_due_reviews(now=now)
    return written


def _review(contract, author, moment, now, rng, comments) -> Review | None:
    if moment >= now:
        return None
    direction = review_services.direction_for(contract, author)
    # Mostly fives and fours, as on a marketplace where people choose whom to hire.
    scores = {criterion.field: rng.choice((5, 5, 5, 4, 4, 3)) for criterion in CRITERIA[direction]}
    with dated(moment):
        return review_services.write_review(
            author=author,
            contract=contract,
            scores=scores,
            comment=comments[contract.pk % len(comments)],
            now=moment,
        )


# --- Reports -------------------------------------------------------------------------------------


def load_reports() -> int:
    """File the demo's report once; returns how many were filed (none the second time)."""
    if Report.objects.filter(reporter__email=REPORTER).exists():
        return 0
    reporter = User.objects.get(email=REPORTER)
    project = (
        Project.objects.filter(status=Project.Status.OPEN).exclude(owner=reporter).order_by("-pk").first()
    )
    if project is None:
        return 0
    with transaction.atomic():
        report_services.file_report(reporter=reporter, item=project, reason=REASON)
    return 1


# --- Services --------------------------------------------------------------------------------------


def load_services(*, now: datetime.datetime | None = None) -> int:
    """The demo's ready services, published through the services and approved by the moderator, with
    their drawn gallery pictures; returns how many were created (none the second time). Only their
    publication dates are moved afterwards, spread over the last weeks."""
    if Service.objects.filter(seller__email="freelancer@demo.test").exists():
        return 0
    now = now or timezone.now()
    moderator = User.objects.get(email=MODERATOR)
    rng = random.Random(11)
    created = 0
    for index, row in enumerate(GIG_SERVICES):
        (
            seller_email,
            slugs,
            title,
            words,
            description,
            dollars,
            days,
            most,
            instructions,
            upgrades,
            pictures,
        ) = row
        skills = list(Skill.objects.filter(slug__in=slugs).select_related("category"))
        category = next(skill.category for skill in skills if skill.slug == slugs[0])
        images = [
            clean_image(service_cover(index, category.slug, words, variant)) for variant in range(pictures)
        ]
        with transaction.atomic():
            service = gig_services.publish_service(
                seller=User.objects.get(email=seller_email),
                title=title,
                description=description,
                category=category,
                skills=skills,
                price_cents=dollars * 100,
                delivery_days=days,
                instructions=instructions,
                max_quantity=most,
                upgrades=[
                    gig_services.UpgradeSpec(name, price * 100, extra) for name, price, extra in upgrades
                ],
                images=images,
            )
            gig_services.approve_service(moderator=moderator, service=service)
            published = now - datetime.timedelta(days=rng.randrange(1, 40), hours=rng.randrange(24))
            Service.objects.filter(pk=service.pk).update(published_at=published, created_at=published)
        created += 1
    return created


def load_requests(*, now: datetime.datetime | None = None) -> int:
    """The demo's buyer requests, posted, approved and answered through the services; returns how many
    were created (none the second time)."""
    if Brief.objects.filter(buyer__email="client@demo.test").exists():
        return 0
    now = now or timezone.now()
    moderator = User.objects.get(email=MODERATOR)
    created = 0
    for hours_ago, row in enumerate(DEMO_REQUESTS):
        buyer_email, category_slug, title, description, dollars, days, approved, answers = row
        category = Category.objects.get(slug=category_slug)
        with transaction.atomic():
            brief = brief_services.post_brief(
                buyer=User.objects.get(email=buyer_email),
                title=title,
                description=description,
                category=category,
                budget_cents=dollars * 100,
                delivery_days=days,
            )
            if approved:
                moment = now - datetime.timedelta(hours=6 * (hours_ago + 1))
                brief_services.approve_brief(moderator=moderator, brief=brief, now=moment)
                for seller_email, note in answers:
                    seller = User.objects.get(email=seller_email)
                    published = Service.objects.filter(seller=seller, status=Service.Status.APPROVED)
                    service = (
                        published.filter(category=category).order_by("pk").first()
                        or published.order_by("pk").first()
                    )
                    brief_services.answer_brief(
                        seller=seller, brief=brief, service=service, note=note, now=moment
                    )
        created += 1
    return created


def load_orders(*, now: datetime.datetime | None = None) -> int:
    """The demo buyer's orders of the demo seller's services, one in each state (data/orders.py),
    placed and moved through the services in the last hours, after every other move of money; the
    clocks of those whose requirements were sent earlier are moved back afterwards. Returns how many
    were created (none the second time)."""
    buyer = User.objects.get(email=demo_orders.BUYER)
    if Contract.objects.filter(origin=Contract.Origin.ORDER, client=buyer).exists():
        return 0
    now = now or timezone.now()
    seller = User.objects.get(email=demo_orders.SELLER)
    services = {
        service.title: service
        for service in Service.objects.filter(seller=seller).prefetch_related("upgrades")
    }
    start = now - datetime.timedelta(hours=4)
    deposit(buyer, demo_orders.ORDERS_DEPOSIT_DOLLARS * 100, now=start)
    for index, demo in enumerate(demo_orders.ORDERS):
        moment = start + datetime.timedelta(minutes=15 * (index + 1))
        service = services[demo.service]
        upgrades = [upgrade.pk for upgrade in list(service.upgrades.all())[: demo.upgrades]]
        with dated(moment):
            order = gig_services.place_order(
                buyer=buyer, service=service, upgrade_ids=upgrades, quantity=demo.quantity, now=moment
            )
            _play_order(demo, order.contract, buyer, seller, now=now, moment=moment)
    return len(demo_orders.ORDERS)


def _play_order(demo, contract: Contract, buyer: User, seller: User, *, now, moment) -> None:
    """Take one demo order to its state, through the services."""
    conversation = Conversation.objects.get(contract=contract)
    messaging_services.send_message(
        sender=buyer,
        conversation=conversation,
        body=demo_orders.HELLO,
        now=moment - datetime.timedelta(minutes=5),
    )
    messaging_services.send_message(
        sender=seller, conversation=conversation, body=demo_orders.WELCOME, now=moment
    )
    if demo.requirements:
        contract_services.submit_requirements(
            client=buyer, contract=contract, text=demo.requirements, now=moment
        )
        started = now - datetime.timedelta(hours=demo.started_hours_ago)
        Milestone.objects.filter(contract=contract).update(started_at=started)
        Requirements.objects.filter(contract=contract).update(created_at=started)
        contract.refresh_from_db()
    story = demo.story
    if story in ("delivered", "changes", "completed", "disputed"):
        contract_services.deliver(
            freelancer=seller,
            contract=contract,
            message=demo_orders.DELIVERY,
            files=[attachment(f"order-{contract.pk}.pdf")],
            now=moment,
        )
    if story == "changes":
        contract_services.request_changes(client=buyer, contract=contract, message=demo_orders.CHANGES)
    elif story == "completed":
        contract = contract_services.accept_delivery(client=buyer, contract=contract, now=moment)
        review = review_services.write_review(
            author=buyer,
            contract=contract,
            scores={"overall": 5},
            comment=demo_orders.BUYER_REVIEW,
            now=moment,
        )
        review_services.write_review(
            author=seller,
            contract=contract,
            scores={criterion.field: 5 for criterion in CRITERIA[Review.Direction.FREELANCER_TO_CLIENT]},
            comment=demo_orders.SELLER_REVIEW,
            now=moment,
        )
        review.refresh_from_db()
        review_services.reply_to_review(user=seller, review=review, text=demo_orders.SELLER_REPLY, now=moment)
    elif story == "declined":
        contract_services.decline_order(
            freelancer=seller, contract=contract, reason=demo_orders.DECLINE, now=moment
        )
    elif story == "cancelled_late":
        contract_services.cancel_late_order(client=buyer, contract=contract, now=moment)
    elif story == "cancelled":
        contract_services.propose_cancellation(user=buyer, contract=contract, reason=demo_orders.CANCEL)
        contract_services.answer_cancellation(user=seller, contract=contract, accept=True, now=moment)
    elif story == "disputed":
        contract_services.open_dispute(user=seller, contract=contract, reason=demo_orders.DISPUTE, now=moment)


# --- Invitations, a private project, verified identities -------------------------------------------


def load_invitations() -> int:
    """Post the demo client's private project, send the demo invitations (each notified) and verify a
    few more identities; returns how many invitations were sent (none the second time)."""
    if Invitation.objects.filter(project__owner__email=MARKER_OWNER).exists():
        return 0
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.test")}
    if (
        PRIVATE_PROJECT["owner"] not in people
        or not Project.objects.filter(owner__email=MARKER_OWNER).exists()
    ):
        return 0  # the projects are not loaded (a partial demo)
    moderator = people[MODERATOR]
    with override_settings(PROJECT_AUTO_APPROVE=False), transaction.atomic():
        private = project_services.post_project(
            owner=people[PRIVATE_PROJECT["owner"]],
            title=PRIVATE_PROJECT["title"],
            description=PRIVATE_PROJECT["description"],
            category=Category.objects.get(slug=PRIVATE_PROJECT["category"]),
            skills=list(Skill.objects.filter(slug__in=PRIVATE_PROJECT["skills"])),
            budget=PRIVATE_PROJECT["budget"],
            duration_days=PRIVATE_PROJECT["duration"],
            is_private=True,
        )
        project_services.approve_project(moderator=moderator, project=private)
        sent = 0
        for invitation in INVITATIONS:
            owner = people[invitation.owner]
            project = (
                private
                if not invitation.project
                else Project.objects.get(owner=owner, title=invitation.project)
            )
            project_services.invite_freelancer(
                owner=owner, project=project, freelancer=people[invitation.freelancer]
            )
            sent += 1
        for email in VERIFIED_IDENTITIES:
            person = people[email]
            if person.identity_checks.filter(status=IdentityVerification.Status.APPROVED).exists():
                continue
            verification = wallet_services.submit_identity_document(
                user=person, document=identity_document(person)
            )
            wallet_services.review_identity(moderator=moderator, verification=verification, approve=True)
    return sent


# --- Saved searches and favourites -----------------------------------------------------------------

# The demo freelancer's saved searches: (query, filters, frequency).
SAVED_SEARCHES = [
    ("تصميم شعار", {}, SavedSearch.Frequency.INSTANT),
    ("", {"category": "programming"}, SavedSearch.Frequency.DAILY),
]


def load_saved() -> int:
    """The demo freelancer's saved searches, and two open projects kept in their list; once."""
    freelancer = User.objects.get(email="freelancer@demo.test")
    if SavedSearch.objects.filter(user=freelancer).exists():
        return 0
    with transaction.atomic():
        for query, filters, frequency in SAVED_SEARCHES:
            saved_services.save_search(
                user=freelancer, list_name="projects", query=query, filters=filters, frequency=frequency
            )
        for project in public_projects().exclude(owner=freelancer).order_by("pk")[:2]:
            saved_services.add_favourite(user=freelancer, kind="project", object_id=project.pk)
    return len(SAVED_SEARCHES)
