from django.urls import path

from scoring import views

urlpatterns = [
    path("", views.search, name="search"),
    path("about/data/", views.about_data, name="about-data"),
]
