from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("<slug:plan>/<slug:period>/", views.pack_page, name="pack"),
    path("<slug:plan>/<slug:period>.csv", views.pack_csv, name="pack-csv"),
    path("<slug:plan>/<slug:period>.xlsx", views.pack_xlsx, name="pack-xlsx"),
    path("<slug:plan>/<slug:period>.pdf", views.pack_pdf, name="pack-pdf"),
]
