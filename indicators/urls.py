from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("<slug:slug>/", views.indicator_detail, name="indicator-detail"),
]
