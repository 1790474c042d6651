from django.db import models
from django.urls import reverse


class OrgUnitKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    DEPARTMENT = "department", "Department"
    SERVICE = "service", "Service"


# The word for each kind in the address of a unit's page: /plans/<plan>/services/<unit>/.
URL_WORDS = {
    OrgUnitKind.DEPARTMENT: "departments",
    OrgUnitKind.DIRECTORATE: "directorates",
    OrgUnitKind.SERVICE: "services",
}


class OrgUnit(models.Model):
    """A directorate, department or service of the council, as a given plan names it.

    Structures change (2011's departments are not 2024's directorates), so each unit records the
    plan that defines it rather than pretending one structure spans every year.
    """

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=OrgUnitKind.choices)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    head = models.CharField(max_length=255, blank=True, help_text="Director or head of service, as printed.")
    head_title = models.CharField(max_length=255, blank=True)
    overview = models.TextField(blank=True)
    defined_by = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="org_units"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["defined_by", "order", "name"]
        verbose_name = "organisation unit"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The unit's page in the plan that defines it ("" for a unit no plan defines)."""
        if self.defined_by_id is None:
            return ""
        return reverse(
            "plans:org-unit",
            kwargs={"plan": self.defined_by.slug, "kind": URL_WORDS[self.kind], "slug": self.slug},
        )
