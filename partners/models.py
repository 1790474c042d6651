from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class PartnerKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    PARTNERSHIP = "partnership", "Partnership (a group of partners)"
    SECTOR = "sector", "Sector or group of bodies"


class Partner(models.Model):
    """An organisation (or partnership, or sector) that signs up to LAA targets.

    `name` is the organisation's name as the documents print it at its fullest; the forms each LAA
    row printed ("LBC", "Fire & Rescue", "Police") are PartnerAliases and are kept on every sign-up.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=255)
    abbreviation = models.CharField(max_length=32, blank=True)
    expansion = models.CharField(max_length=255, blank=True, help_text="The LAA glossary's expansion, as printed.")
    kind = models.CharField(max_length=16, choices=PartnerKind.choices, default=PartnerKind.ORGANISATION)
    description = models.TextField(blank=True)
    may_enter_returns = models.BooleanField(
        default=False,
        help_text="Set by the performance team: the partner's users may enter values for targets it leads.",
    )
    members = models.ManyToManyField(
        "self", through="PartnerMembership", symmetrical=False, related_name="groups", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:partner-detail", kwargs={"slug": self.slug})


class PartnerAlias(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=255, unique=True, help_text="A form of the name as printed in a sign-up list.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "partner aliases"

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """A member of a partner group such as SoLUTiONs, as the LAA's partner-groups list prints it."""

    group = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="group_memberships")
    printed = models.CharField(max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "order"]
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"


class SignUpQuerySet(models.QuerySet):
    def in_order(self) -> "SignUpQuerySet":
        return self.select_related("partner").order_by("order")


class SignUp(models.Model):
    """A partner signed up to an LAA target (an indicator in the LAA), possibly as its lead partner."""

    plan_indicator = models.ForeignKey("indicators.PlanIndicator", on_delete=models.CASCADE, related_name="sign_ups")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="sign_ups")
    printed_name = models.CharField(max_length=255, help_text="The partner as this row prints it.")
    lead = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["plan_indicator", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan_indicator", "order"], name="signup_order_unique"),
            # Every LAA target has exactly one lead partner (the documents mark it with *).
            models.UniqueConstraint(
                fields=["plan_indicator"], condition=models.Q(lead=True), name="signup_one_lead_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.printed_name}{' (lead)' if self.lead else ''}"


class GlossaryTermQuerySet(models.QuerySet):
    def with_partner(self) -> "GlossaryTermQuerySet":
        """Each term with `partner_slug` and `partner_name`: the partner it names, whose abbreviation it is (the
        loader's rule for a partner's expansion), or None (CYPSB, ESF: not partners). In the same query."""
        named = Partner.objects.filter(abbreviation=models.OuterRef("term")).order_by("slug")
        return self.annotate(
            partner_slug=models.Subquery(named.values("slug")[:1]),
            partner_name=models.Subquery(named.values("name")[:1]),
        )


class GlossaryTerm(models.Model):
    """A row of the LAA's glossary of partner names, as printed."""

    term = models.CharField(max_length=64, unique=True)
    expansion = models.CharField(max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.term}: {self.expansion}"

    def get_absolute_url(self) -> str:
        return f"{reverse('partners:glossary')}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The term's place on the glossary page: "term-ld-hospital" for "L&D Hospital"."""
        return f"term-{slugify(self.term)}"
