from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Catalog rows carry their own Arabic and English names, edited by staff in the admin."""

    name_ar = models.CharField(_("Arabic name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ar").startswith("en") else self.name_ar


class Category(BilingualNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Skill(BilingualNameMixin):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="skills", verbose_name=_("category")
    )
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["category__position", "name_ar"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
