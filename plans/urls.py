from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("<slug:plan>/<slug:priority>/<slug:slug>/", views.outcome_detail, name="outcome-detail"),
]
