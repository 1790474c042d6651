"""The public page types of what the documents hold (issue 12), checked alike by axe-core and the
layout checks (browser/test_journeys.py), with JavaScript off (browser/test_site.py) and by the Nu HTML
checker (test_html_valid.py)."""

DOCUMENT_PAGES = [
    "/plans/corporate-plan-2011-14/departments/children-and-learning-department/",
    "/plans/service-plans-2024/services/housing/",
    "/plans/service-plans-2024/directorates/inclusive-economy/",
    "/plans/corporate-plan-2011-14/budget/",
    "/plans/corporate-plan-2008-14/scorecard/",
    "/partners/glossary/",
    "/partners/groups/",
    "/search/?q=housing",
]
