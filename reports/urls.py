from django.urls import path

from reports import file_views, issue_views, views

app_name = "reports"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("issued/<int:pk>/<slug:fmt>", issue_views.issued_file, name="issued-file"),
    # Before the packs' own addresses, which would otherwise take "files" for a plan.
    path("files/<uuid:task>/", file_views.file_progress, name="file"),
    path("files/<uuid:task>/download", file_views.file_download, name="file-download"),
    path("<slug:plan>/<slug:period>/", views.pack_page, name="pack"),
    path("<slug:plan>/<slug:period>/issue/", issue_views.issue_pack, name="issue"),
    path("<slug:plan>/<slug:period>.csv", views.pack_csv, name="pack-csv"),
    path("<slug:plan>/<slug:period>.xlsx", views.pack_xlsx, name="pack-xlsx"),
    path("<slug:plan>/<slug:period>.pdf", views.pack_pdf, name="pack-pdf"),
]
