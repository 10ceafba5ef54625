from django.urls import path

from sandbox import views

urlpatterns = [
    path("v1/health", views.health, name="health"),
]
