from django.urls import path

from reports import issue_views, views

app_name = "reports"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("issued/<int:pk>/<slug:fmt>", issue_views.issued_file, name="issued-file"),
    path("<slug:plan>/<slug:period>/", views.pack_page, name="pack"),
    path("<slug:plan>/<slug:period>/issue/", issue_views.issue_pack, name="issue"),
    path("<slug:plan>/<slug:period>.csv", views.pack_csv, name="pack-csv"),
    path("<slug:plan>/<slug:period>.xlsx", views.pack_xlsx, name="pack-xlsx"),
    path("<slug:plan>/<slug:period>.pdf", views.pack_pdf, name="pack-pdf"),
]
