from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:name>/", views.outbox_message, name="outbox-message"),
    path("outbox/<str:name>/html/", views.outbox_message_html, name="outbox-message-html"),
]
