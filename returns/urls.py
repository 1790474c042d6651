from django.urls import path

from returns import views

app_name = "returns"
urlpatterns = [
    path("", views.my_returns, name="my-returns"),
    path("sign-off/", views.sign_off, name="sign-off"),
    path("sign-off/indicators/<int:pk>/", views.review_return, name="review-return"),
    path("sign-off/actions/<int:pk>/", views.review_action_update, name="review-action-update"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<slug:round_slug>/<str:change>/", views.change_round, name="change-round"),
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/<slug:round_slug>/remind/<int:user_id>/", views.send_reminder, name="send-reminder"),
    path("<slug:round_slug>/indicators/<slug:indicator_slug>/", views.return_entry, name="return-entry"),
    path("<slug:round_slug>/actions/<int:action_id>/", views.action_update_entry, name="action-update-entry"),
    path("<slug:round_slug>/download.<str:file_format>", views.download, name="download"),
    path("<slug:round_slug>/upload/", views.upload, name="upload"),
]
