from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from mostaql.catalog.models import Skill
from mostaql.core.models import TimeStampedModel
from mostaql.core.text import normalize_arabic


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        Profile.objects.ensure_for(user)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One account both hires and works; the primary role only picks the default dashboard."""

    class Role(models.TextChoices):
        CLIENT = "client", _("I want to hire")
        FREELANCER = "freelancer", _("I want to work")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    primary_role = models.CharField(
        _("primary role"), max_length=12, choices=Role.choices, default=Role.FREELANCER
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


def avatar_path(profile, filename: str) -> str:
    return f"avatars/{filename}"


def portfolio_path(image, filename: str) -> str:
    return f"portfolio/{filename}"


class ProfileManager(models.Manager):
    def unique_slug(self, name: str, email: str) -> str:
        """A readable, stable address: the name (Arabic letters kept), else the e-mail's local part."""
        base = slugify(name, allow_unicode=True)[:70] or slugify(email.split("@")[0])[:70] or "member"
        slug, suffix = base, 1
        while self.filter(slug=slug).exists():
            suffix += 1
            slug = f"{base}-{suffix}"
        return slug

    def ensure_for(self, user: "User") -> "Profile":
        """Every account has a public profile, however it was created (sign-up, admin, shell): the
        user manager calls this, so the rule lives with the rows (accounts.services.ensure_profile)."""
        profile = self.filter(user=user).first()
        if profile is None:
            profile = self.model(user=user, slug=self.unique_slug(user.name, user.email))
            profile.reindex()
            profile.save()
        return profile


class Profile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    slug = models.CharField(_("address"), max_length=90, unique=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    bio = models.TextField(_("about me"), max_length=5000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    avatar_thumbnail = models.ImageField(upload_to=avatar_path, blank=True, editable=False)
    country = CountryField(_("country"), blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles", verbose_name=_("skills"))
    hourly_rate_cents = models.PositiveIntegerField(_("hourly rate (cents)"), null=True, blank=True)
    # Name and title folded by core.text.normalize_arabic: what the directory search matches.
    search_text = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    objects = ProfileManager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate_cents__isnull=True) | models.Q(hourly_rate_cents__gt=0),
                name="profile_hourly_rate_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"slug": self.slug})

    def reindex(self) -> None:
        """What the directory search matches: the name and title, folded by normalize_arabic."""
        self.search_text = normalize_arabic(f"{self.user.name} {self.title}")[:200]


class PortfolioItem(TimeStampedModel):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="portfolio_items", verbose_name=_("profile")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    link = models.URLField(_("link"), blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    completed_on = models.DateField(_("completion date"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("accounts:portfolio_item", kwargs={"slug": self.profile.slug, "pk": self.pk})


class PortfolioImage(models.Model):
    item = models.ForeignKey(PortfolioItem, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=portfolio_path)
    thumbnail = models.ImageField(upload_to=portfolio_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("portfolio image")
        verbose_name_plural = _("portfolio images")

    def __str__(self) -> str:
        return f"{self.item} ({self.position + 1})"
