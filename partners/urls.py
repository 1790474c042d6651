from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="partner-list"),
    path("<slug:slug>/", views.partner_detail, name="partner-detail"),
]
